#pragma once
// Custom CSRs and their private keys. A CSR belongs to a zone or an account; every lookup is
// scoped, so nothing of one zone is visible from another.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/page.hpp"
#include "storage/statement_cache.hpp"

namespace storage {

enum class Scope { zone, account };

struct CustomCsr {
    std::string id;
    Scope scope = Scope::zone;
    std::string scope_id;    // zone id or account id
    std::string created_at;  // RFC 3339, fixed width, so it sorts
    std::string key_type;    // "rsa2048" | "p256v1"
    std::string country, state, locality, organization;
    std::optional<std::string> organizational_unit;
    std::string common_name;
    std::vector<std::string> sans;  // request order
    std::optional<std::string> name, description;
    std::string csr_pem;
};

// A CSR as a list or a get shows it: the JSON the API stored with it at insert, or, for a CSR
// stored without one (before migration 9, or loaded by a seed), its fields to show it from.
// Exactly one of the two is set.
struct ShownCsr {
    std::string json;
    std::optional<CustomCsr> fields;
};

enum class CsrOrder { created_at, name };

using CsrPage = Page<ShownCsr>;

enum class RemoveResult { removed, not_found, in_use };

class CsrRepository {
public:
    explicit CsrRepository(Database& db) : db_(db), statements_(db) {}

    // Stores the CSR with its private key, atomically, and the JSON the API shows for it (opaque
    // here; empty: none, the API shows the CSR from its fields).
    void insert(const CustomCsr& csr, const std::string& private_key_pem, const std::string& shown_json = {});
    std::optional<CustomCsr> find(Scope scope, const std::string& scope_id, const std::string& id);
    // What a GET shows of the CSR: its stored JSON, else its fields.
    std::optional<ShownCsr> find_shown(Scope scope, const std::string& scope_id, const std::string& id);
    // page is 1-based; ties in the order are broken by created_at, then id.
    CsrPage list(Scope scope, const std::string& scope_id, std::int64_t page, std::int64_t per_page,
                 CsrOrder order = CsrOrder::created_at, bool descending = false);
    // Deletes the CSR and its key unless a custom hostname or custom certificate references it;
    // the foreign keys (ON DELETE RESTRICT) make the check and the delete one atomic step.
    RemoveResult remove(Scope scope, const std::string& scope_id, const std::string& id);
    // Whether the scope has this CSR. Writes of other tables check inside their own transaction
    // with csr_exists (storage/csr_lookup.hpp) instead.
    bool exists(Scope scope, const std::string& scope_id, const std::string& id);

private:
    // Reads run on a reader connection (Database::read): they wait for neither writers nor each
    // other. Fills each CSR's sans, in request order, with one query for all of them.
    void load_sans(StatementCache& statements, std::vector<CustomCsr>& csrs);
    std::optional<CustomCsr> find_on(StatementCache& statements, Scope scope, const std::string& scope_id,
                                     const std::string& id);

    Database& db_;
    StatementCache statements_;
};

const char* scope_name(Scope scope);

}  // namespace storage
