#include "storage/certificate_repository.hpp"

#include "storage/csr_repository.hpp"
#include "storage/database.hpp"

namespace storage {
namespace {

constexpr const char* columns =
    "id, zone_id, type, bundle_method, geo_restrictions, policy, deploy, priority, uploaded_on, modified_on, "
    "custom_csr_id, cert_chain_pem, cert_private_key_pem, cert_issuer, cert_serial_number, cert_signature, "
    "cert_not_before, cert_not_after, cert_hosts, cert_fingerprint_sha256";

CustomCertificate read_row(const Statement& s) {
    CustomCertificate c;
    c.id = s.text(0);
    c.zone_id = s.text(1);
    c.type = s.text(2);
    c.bundle_method = s.text(3);
    c.geo_restrictions = s.optional_text(4);
    c.policy = s.optional_text(5);
    c.deploy = s.text(6);
    c.priority = s.integer(7);
    c.uploaded_on = s.text(8);
    c.modified_on = s.text(9);
    c.custom_csr_id = s.optional_text(10);
    c.certificate = *read_certificate_columns(s, 11);  // NOT NULL columns here
    return c;
}

void bind_all(Statement& s, const CustomCertificate& c) {
    s.bind(1, c.id).bind(2, c.zone_id).bind(3, c.type).bind(4, c.bundle_method).bind(5, c.geo_restrictions);
    s.bind(6, c.policy).bind(7, c.deploy).bind(8, c.priority).bind(9, c.uploaded_on).bind(10, c.modified_on);
    s.bind(11, c.custom_csr_id);
    bind_certificate_columns(s, 12, &c.certificate);
}

bool zone_has_csr(Database& db, const std::string& zone_id, const std::string& csr_id) {
    return CsrRepository(db).exists(Scope::zone, zone_id, csr_id);
}

const std::string insert_sql = std::string("INSERT INTO custom_certificates (") + columns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// The insert of `c`, inside the caller's transaction (after the replaced row is gone, so an edit
// that keeps its certificate is not a duplicate of itself).
WriteResult insert_row(Database& db, const CustomCertificate& c) {
    if (c.custom_csr_id && !zone_has_csr(db, c.zone_id, *c.custom_csr_id)) return WriteResult::csr_not_found;
    Statement same(db, "SELECT 1 FROM custom_certificates WHERE zone_id = ? AND cert_fingerprint_sha256 = ?");
    same.bind(1, c.zone_id).bind(2, c.certificate.fingerprint_sha256);
    if (same.step()) return WriteResult::duplicate_certificate;
    Statement s(db, insert_sql);
    bind_all(s, c);
    try {
        s.run();
    } catch (const Error& e) {
        if (e.is_foreign_key_violation()) return WriteResult::csr_not_found;
        throw;
    }
    return WriteResult::ok;
}

}  // namespace

WriteResult CertificateRepository::insert(const CustomCertificate& c) {
    auto lock = db_.lock();
    Transaction tx(db_);
    WriteResult result = insert_row(db_, c);
    if (result == WriteResult::ok) tx.commit();
    return result;
}

WriteResult CertificateRepository::replace(const std::string& previous_id, const CustomCertificate& c) {
    auto lock = db_.lock();
    Transaction tx(db_);
    Statement del(db_, "DELETE FROM custom_certificates WHERE id = ? AND zone_id = ?");
    del.bind(1, previous_id).bind(2, c.zone_id);
    del.run();
    if (db_.changes() == 0) return WriteResult::not_found;
    WriteResult result = insert_row(db_, c);
    if (result == WriteResult::ok) tx.commit();
    return result;
}

std::optional<CustomCertificate> CertificateRepository::find(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    Statement s(db_, std::string("SELECT ") + columns + " FROM custom_certificates WHERE id = ? AND zone_id = ?");
    s.bind(1, id).bind(2, zone_id);
    if (!s.step()) return std::nullopt;
    return read_row(s);
}

CertificatePage CertificateRepository::list(const std::string& zone_id, std::int64_t page, std::int64_t per_page,
                                            std::optional<bool> expired, const std::string& now_rfc3339) {
    std::string where = " WHERE zone_id = ?1";
    if (expired) where += *expired ? " AND cert_not_after <= ?2" : " AND cert_not_after > ?2";
    else where += " AND ?2 IS NOT NULL";
    auto lock = db_.lock();
    CertificatePage result;
    Statement count(db_, "SELECT count(*) FROM custom_certificates" + where);
    count.bind(1, zone_id).bind(2, now_rfc3339);
    count.step();
    result.total_count = count.integer(0);
    // Highest priority first (Cloudflare serves it first), then upload order.
    Statement s(db_, std::string("SELECT ") + columns + " FROM custom_certificates" + where +
                         " ORDER BY priority DESC, uploaded_on, id LIMIT ?3 OFFSET ?4");
    s.bind(1, zone_id).bind(2, now_rfc3339).bind(3, per_page).bind(4, (page - 1) * per_page);
    while (s.step()) result.items.push_back(read_row(s));
    return result;
}

bool CertificateRepository::remove(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    Statement s(db_, "DELETE FROM custom_certificates WHERE id = ? AND zone_id = ?");
    s.bind(1, id).bind(2, zone_id);
    s.run();
    return db_.changes() > 0;
}

std::size_t CertificateRepository::set_priorities(const std::string& zone_id,
                                                  const std::vector<std::pair<std::string, std::int64_t>>& priorities,
                                                  const std::string& modified_on) {
    auto lock = db_.lock();
    Transaction tx(db_);
    std::size_t updated = 0;
    Statement s(db_, "UPDATE custom_certificates SET priority = ?, modified_on = ? WHERE id = ? AND zone_id = ?");
    for (const auto& [id, priority] : priorities) {
        s.reset();
        s.bind(1, priority).bind(2, modified_on).bind(3, id).bind(4, zone_id);
        s.run();
        updated += static_cast<std::size_t>(db_.changes());
    }
    tx.commit();
    return updated;
}

}  // namespace storage
