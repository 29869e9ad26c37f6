#include "storage/certificate_repository.hpp"

#include "storage/csr_lookup.hpp"
#include "storage/database.hpp"
#include "storage/ordered_list.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

using C = CustomCertificate;
// The row's own columns, then the certificate's (storage/stored_certificate.hpp).
constexpr sql::Fields<C, 11> fields{{{"id", &C::id}, {"zone_id", &C::zone_id}, {"type", &C::type},
    {"bundle_method", &C::bundle_method}, {"geo_restrictions", &C::geo_restrictions}, {"policy", &C::policy},
    {"deploy", &C::deploy}, {"priority", &C::priority}, {"uploaded_on", &C::uploaded_on},
    {"modified_on", &C::modified_on}, {"custom_csr_id", &C::custom_csr_id}}};
constexpr auto columns = sql::concat(sql::columns_of(fields), certificate_columns);

consteval int col(std::string_view name) { return sql::index_of(columns, name); }
consteval int param(std::string_view name) { return sql::parameter_of(columns, name); }

const std::string select_sql = sql::select("custom_certificates", columns);
const std::string insert_sql = sql::insert("custom_certificates", columns);

CustomCertificate read_row(const Statement& s) {
    CustomCertificate c;
    sql::read_fields(s, c, fields);
    c.certificate = *read_certificate_columns(s, col("cert_chain_pem"), "custom_certificates", c.id);  // NOT NULL columns here
    return c;
}

void bind_row(Statement& s, const CustomCertificate& c) {
    sql::bind_fields(s, c, fields);
    bind_certificate_columns(s, param("cert_chain_pem"), &c.certificate, "custom_certificates", c.id);
}

}  // namespace

// After the replaced row is gone, so an edit that keeps its certificate is not a duplicate of
// itself.
WriteResult CertificateRepository::insert_row(const CustomCertificate& c) {
    if (c.custom_csr_id && !csr_exists(statements_, Scope::zone, c.zone_id, *c.custom_csr_id))
        return WriteResult::csr_not_found;
    {
        auto same = statements_.use("SELECT 1 FROM custom_certificates WHERE zone_id = ? AND cert_fingerprint_sha256 = ?");
        same->bind(1, c.zone_id).bind(2, c.certificate.fingerprint_sha256);
        if (same->step()) return WriteResult::duplicate_certificate;
    }
    auto s = statements_.use(insert_sql);
    bind_row(*s, c);
    try {
        s->run();
    } catch (const Error& e) {
        if (e.is_foreign_key_violation()) return WriteResult::csr_not_found;
        throw;
    }
    return WriteResult::ok;
}

WriteResult CertificateRepository::insert(const CustomCertificate& c) {
    auto lock = db_.lock();
    Transaction tx(db_);
    WriteResult result = insert_row(c);
    if (result == WriteResult::ok) tx.commit();
    return result;
}

WriteResult CertificateRepository::replace(const std::string& previous_id, const CustomCertificate& c) {
    auto lock = db_.lock();
    Transaction tx(db_);
    {
        auto del = statements_.use("DELETE FROM custom_certificates WHERE id = ? AND zone_id = ?");
        del->bind(1, previous_id).bind(2, c.zone_id);
        del->run();
        if (db_.changes() == 0) return WriteResult::not_found;
    }
    WriteResult result = insert_row(c);
    if (result == WriteResult::ok) tx.commit();
    return result;
}

std::optional<CustomCertificate> CertificateRepository::find(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_sql + " WHERE id = ? AND zone_id = ?");
    return sql::first_row(s->bind(1, id).bind(2, zone_id), read_row);
}

CertificatePage CertificateRepository::list(const std::string& zone_id, std::int64_t page, std::int64_t per_page,
                                            std::optional<bool> expired, const std::string& now_rfc3339) {
    if (!expired) {
        // Highest priority first (priority_key is -priority), then upload order: the zone's
        // ordered list (storage/ordered_list.hpp), read on a reader connection. The rows repeat
        // the order's key after their columns, for later pages to start from.
        static const std::string page_sql = "SELECT " + sql::list(columns) +
            ", priority_key, uploaded_on, id FROM custom_certificates"
            " WHERE zone_id = ?1 AND (priority_key, uploaded_on, id) >= (?2, ?3, ?4)"
            " ORDER BY priority_key, uploaded_on, id LIMIT ?5 OFFSET ?6";
        ListQuery query{OrderedList::certificates_by_priority, zone_id, page_sql, 1, 3,
                        [&](Statement& s) { s.bind(1, zone_id); }, static_cast<int>(columns.size())};
        auto read = db_.read(statements_);
        CertificatePage result;
        result.total_count = read_ordered_page(read.statements(), query, (page - 1) * per_page, per_page, false,
                                               [&](const Statement& s) { result.items.push_back(read_row(s)); });
        return result;
    }
    // Filtered by expiry: counts the matches and skips to the page.
    std::string where = " WHERE zone_id = ?1";
    where += *expired ? " AND cert_not_after <= ?2" : " AND cert_not_after > ?2";
    auto lock = db_.lock();
    CertificatePage result;
    {
        auto count = statements_.use("SELECT count(*) FROM custom_certificates" + where);
        count->bind(1, zone_id).bind(2, now_rfc3339);
        count->step();
        result.total_count = count->integer(0);
    }
    // Highest priority first (Cloudflare serves it first), then upload order.
    auto s = statements_.use(select_sql + where + " ORDER BY priority_key, uploaded_on, id LIMIT ?3 OFFSET ?4");
    s->bind(1, zone_id).bind(2, now_rfc3339).bind(3, per_page).bind(4, (page - 1) * per_page);
    result.items = sql::all_rows(*s, read_row);
    return result;
}

bool CertificateRepository::remove(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use("DELETE FROM custom_certificates WHERE id = ? AND zone_id = ?");
    s->bind(1, id).bind(2, zone_id);
    return s->run_changed();
}

std::size_t CertificateRepository::set_priorities(const std::string& zone_id,
                                                  const std::vector<std::pair<std::string, std::int64_t>>& priorities,
                                                  const std::string& modified_on) {
    auto lock = db_.lock();
    Transaction tx(db_);
    std::size_t updated = 0;
    auto s = statements_.use("UPDATE custom_certificates SET priority = ?, modified_on = ? WHERE id = ? AND zone_id = ?");
    for (const auto& [id, priority] : priorities) {
        s->reset();
        s->bind(1, priority).bind(2, modified_on).bind(3, id).bind(4, zone_id);
        s->run();
        updated += static_cast<std::size_t>(db_.changes());
    }
    tx.commit();
    return updated;
}

}  // namespace storage
