#include "storage/csr_repository.hpp"

#include "storage/database.hpp"

namespace storage {
namespace {

constexpr const char* columns =
    "id, scope, scope_id, created_at, key_type, country, state, locality, organization, organizational_unit, "
    "common_name, name, description, csr_pem";

CustomCsr read_row(const Statement& s) {
    CustomCsr csr;
    csr.id = s.text(0);
    csr.scope = s.text(1) == "account" ? Scope::account : Scope::zone;
    csr.scope_id = s.text(2);
    csr.created_at = s.text(3);
    csr.key_type = s.text(4);
    csr.country = s.text(5);
    csr.state = s.text(6);
    csr.locality = s.text(7);
    csr.organization = s.text(8);
    csr.organizational_unit = s.optional_text(9);
    csr.common_name = s.text(10);
    csr.name = s.optional_text(11);
    csr.description = s.optional_text(12);
    csr.csr_pem = s.text(13);
    return csr;
}

std::vector<std::string> load_sans(Database& db, const std::string& id) {
    Statement s(db, "SELECT san FROM custom_csr_sans WHERE csr_id = ? ORDER BY position");
    s.bind(1, id);
    std::vector<std::string> sans;
    while (s.step()) sans.push_back(s.text(0));
    return sans;
}

}  // namespace

const char* scope_name(Scope scope) { return scope == Scope::account ? "account" : "zone"; }

void CsrRepository::insert(const CustomCsr& csr, const std::string& private_key_pem) {
    auto lock = db_.lock();
    Transaction tx(db_);
    Statement s(db_,
                "INSERT INTO custom_csrs (id, scope, scope_id, created_at, key_type, country, state, locality, "
                "organization, organizational_unit, common_name, name, description, csr_pem, private_key_pem) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, csr.id)
        .bind(2, scope_name(csr.scope))
        .bind(3, csr.scope_id)
        .bind(4, csr.created_at)
        .bind(5, csr.key_type)
        .bind(6, csr.country)
        .bind(7, csr.state)
        .bind(8, csr.locality)
        .bind(9, csr.organization)
        .bind(10, csr.organizational_unit)
        .bind(11, csr.common_name)
        .bind(12, csr.name)
        .bind(13, csr.description)
        .bind(14, csr.csr_pem)
        .bind(15, private_key_pem);
    s.run();
    Statement san(db_, "INSERT INTO custom_csr_sans (csr_id, position, san) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < csr.sans.size(); ++i) {
        san.reset();
        san.bind(1, csr.id).bind(2, static_cast<std::int64_t>(i)).bind(3, csr.sans[i]);
        san.run();
    }
    tx.commit();
}

std::optional<CustomCsr> CsrRepository::find(Scope scope, const std::string& scope_id, const std::string& id) {
    auto lock = db_.lock();
    Statement s(db_, std::string("SELECT ") + columns + " FROM custom_csrs WHERE id = ? AND scope = ? AND scope_id = ?");
    s.bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
    if (!s.step()) return std::nullopt;
    CustomCsr csr = read_row(s);
    csr.sans = load_sans(db_, csr.id);
    return csr;
}

CsrPage CsrRepository::list(Scope scope, const std::string& scope_id, std::int64_t page, std::int64_t per_page,
                            CsrOrder order, bool descending) {
    auto lock = db_.lock();
    CsrPage result;
    Statement count(db_, "SELECT count(*) FROM custom_csrs WHERE scope = ? AND scope_id = ?");
    count.bind(1, scope_name(scope)).bind(2, scope_id);
    count.step();
    result.total_count = count.integer(0);

    std::string direction = descending ? " DESC" : " ASC";
    std::string order_by = order == CsrOrder::name
                               ? "coalesce(name, '')" + direction + ", created_at" + direction + ", id" + direction
                               : "created_at" + direction + ", id" + direction;
    Statement s(db_, std::string("SELECT ") + columns +
                         " FROM custom_csrs WHERE scope = ? AND scope_id = ? ORDER BY " + order_by + " LIMIT ? OFFSET ?");
    s.bind(1, scope_name(scope)).bind(2, scope_id).bind(3, per_page).bind(4, (page - 1) * per_page);
    while (s.step()) result.items.push_back(read_row(s));
    for (auto& csr : result.items) csr.sans = load_sans(db_, csr.id);
    return result;
}

bool CsrRepository::exists(Scope scope, const std::string& scope_id, const std::string& id) {
    auto lock = db_.lock();
    Statement s(db_, "SELECT 1 FROM custom_csrs WHERE id = ? AND scope = ? AND scope_id = ?");
    s.bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
    return s.step();
}

RemoveResult CsrRepository::remove(Scope scope, const std::string& scope_id, const std::string& id) {
    auto lock = db_.lock();
    Transaction tx(db_);
    Statement s(db_, "DELETE FROM custom_csrs WHERE id = ? AND scope = ? AND scope_id = ?");
    s.bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
    try {
        s.run();
    } catch (const Error& e) {
        if (e.is_foreign_key_violation()) return RemoveResult::in_use;
        throw;
    }
    if (db_.changes() == 0) return RemoveResult::not_found;
    tx.commit();
    return RemoveResult::removed;
}

}  // namespace storage
