#pragma once
// The Origin CA's roots (made on first start and kept, so issued certificates stay trusted) and
// the certificates it issued. Few per zone (a test's handful): the list counts and pages with
// COUNT and OFFSET rather than the ordered-list bookkeeping the large collections use.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/page.hpp"
#include "storage/statement_cache.hpp"

namespace storage {

struct StoredOriginRoot {
    std::string kind;  // "rsa" | "ecc"
    std::string created_at, certificate_pem, private_key_pem;
};

struct OriginCertificate {
    std::string id;  // the certificate's serial in decimal
    std::string request_type;
    std::int64_t requested_validity = 5475;
    std::string hostnames;  // JSON array of strings, opaque here
    std::string csr_pem, certificate_pem;
    std::string created_at;  // RFC 3339 with microseconds
    std::string expires_on;  // RFC 3339 seconds: the certificate's notAfter
    std::optional<std::string> revoked_at = std::nullopt;
};

using OriginCertificatePage = Page<OriginCertificate>;

class OriginCaRepository {
public:
    explicit OriginCaRepository(Database& db) : db_(db), statements_(db) {}

    std::optional<StoredOriginRoot> root(const std::string& kind);
    void insert_root(const StoredOriginRoot& root);

    // The certificate and the zones it is listed under, in one transaction.
    void insert(const OriginCertificate& certificate, const std::vector<std::string>& zone_ids);
    std::optional<OriginCertificate> find(const std::string& id);
    // In issue order.
    OriginCertificatePage list(const std::string& zone_id, std::int64_t page, std::int64_t per_page);
    // Sets revoked_at unless already set; returns the row as stored (nullopt: no such id).
    std::optional<OriginCertificate> revoke(const std::string& id, const std::string& revoked_at);

private:
    std::optional<OriginCertificate> find_unlocked(const std::string& id);
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
