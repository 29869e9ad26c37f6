#include "storage/hostname_repository.hpp"

#include "storage/csr_repository.hpp"
#include "storage/database.hpp"

namespace storage {
namespace {

constexpr const char* columns =
    "id, zone_id, hostname, status, created_at, custom_metadata, custom_origin_server, custom_origin_sni, "
    "ownership_token, ssl_id, ssl_status, ssl_method, ssl_type, ssl_bundle_method, ssl_wildcard, "
    "ssl_certificate_authority, ssl_settings, ssl_dcv_token, ssl_uploaded_on, custom_csr_id, cert_chain_pem, "
    "cert_private_key_pem, cert_issuer, cert_serial_number, cert_signature, cert_not_before, cert_not_after, "
    "cert_hosts, cert_fingerprint_sha256";

CustomHostname read_row(const Statement& s) {
    CustomHostname h;
    h.id = s.text(0);
    h.zone_id = s.text(1);
    h.hostname = s.text(2);
    h.status = s.text(3);
    h.created_at = s.text(4);
    h.custom_metadata = s.optional_text(5);
    h.custom_origin_server = s.optional_text(6);
    h.custom_origin_sni = s.optional_text(7);
    h.ownership_token = s.text(8);
    if (!s.is_null(9)) {
        HostnameSsl ssl;
        ssl.id = s.text(9);
        ssl.status = s.text(10);
        ssl.method = s.text(11);
        ssl.type = s.text(12);
        ssl.bundle_method = s.text(13);
        ssl.wildcard = s.integer(14) != 0;
        ssl.certificate_authority = s.optional_text(15);
        ssl.settings = s.optional_text(16);
        ssl.dcv_token = s.optional_text(17);
        ssl.uploaded_on = s.optional_text(18);
        ssl.custom_csr_id = s.optional_text(19);
        ssl.certificate = read_certificate_columns(s, 20);
        h.ssl = std::move(ssl);
    }
    return h;
}

// Binds every column after id and zone_id, starting at parameter `first`, in `columns` order.
void bind_fields(Statement& s, int first, const CustomHostname& h) {
    int i = first;
    s.bind(i++, h.hostname);
    s.bind(i++, h.status);
    s.bind(i++, h.created_at);
    s.bind(i++, h.custom_metadata);
    s.bind(i++, h.custom_origin_server);
    s.bind(i++, h.custom_origin_sni);
    s.bind(i++, h.ownership_token);
    const HostnameSsl* ssl = h.ssl ? &*h.ssl : nullptr;
    const StoredCertificate* cert = ssl && ssl->certificate ? &*ssl->certificate : nullptr;
    auto opt = [](bool present, const std::string& value) {
        return present ? std::optional<std::string>(value) : std::nullopt;
    };
    s.bind(i++, opt(ssl, ssl ? ssl->id : ""));
    s.bind(i++, opt(ssl, ssl ? ssl->status : ""));
    s.bind(i++, opt(ssl, ssl ? ssl->method : ""));
    s.bind(i++, opt(ssl, ssl ? ssl->type : ""));
    s.bind(i++, opt(ssl, ssl ? ssl->bundle_method : ""));
    if (ssl) s.bind(i++, std::int64_t{ssl->wildcard ? 1 : 0});
    else s.bind_null(i++);
    s.bind(i++, ssl ? ssl->certificate_authority : std::nullopt);
    s.bind(i++, ssl ? ssl->settings : std::nullopt);
    s.bind(i++, ssl ? ssl->dcv_token : std::nullopt);
    s.bind(i++, ssl ? ssl->uploaded_on : std::nullopt);
    s.bind(i++, ssl ? ssl->custom_csr_id : std::nullopt);
    bind_certificate_columns(s, i, cert);
}

// The CSR must be one of this zone's; run inside the write transaction.
bool zone_has_csr(Database& db, const std::string& zone_id, const std::string& csr_id) {
    return CsrRepository(db).exists(Scope::zone, zone_id, csr_id);
}

const std::optional<std::string>& csr_of(const CustomHostname& h) {
    static const std::optional<std::string> none;
    return h.ssl ? h.ssl->custom_csr_id : none;
}

}  // namespace

WriteResult HostnameRepository::insert(const CustomHostname& h) {
    auto lock = db_.lock();
    Transaction tx(db_);
    if (csr_of(h) && !zone_has_csr(db_, h.zone_id, *csr_of(h))) return WriteResult::csr_not_found;
    Statement s(db_, std::string("INSERT INTO custom_hostnames (") + columns +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, h.id).bind(2, h.zone_id);
    bind_fields(s, 3, h);
    try {
        s.run();
    } catch (const Error& e) {
        if (e.is_unique_violation()) return WriteResult::duplicate_hostname;
        if (e.is_foreign_key_violation()) return WriteResult::csr_not_found;
        throw;
    }
    tx.commit();
    return WriteResult::ok;
}

WriteResult HostnameRepository::update(const CustomHostname& h) {
    auto lock = db_.lock();
    Transaction tx(db_);
    if (csr_of(h) && !zone_has_csr(db_, h.zone_id, *csr_of(h))) return WriteResult::csr_not_found;
    Statement s(db_,
                "UPDATE custom_hostnames SET hostname = ?, status = ?, created_at = ?, custom_metadata = ?, "
                "custom_origin_server = ?, custom_origin_sni = ?, ownership_token = ?, ssl_id = ?, ssl_status = ?, "
                "ssl_method = ?, ssl_type = ?, ssl_bundle_method = ?, ssl_wildcard = ?, ssl_certificate_authority = ?, "
                "ssl_settings = ?, ssl_dcv_token = ?, ssl_uploaded_on = ?, custom_csr_id = ?, cert_chain_pem = ?, "
                "cert_private_key_pem = ?, cert_issuer = ?, cert_serial_number = ?, cert_signature = ?, "
                "cert_not_before = ?, cert_not_after = ?, cert_hosts = ?, cert_fingerprint_sha256 = ? "
                "WHERE id = ? AND zone_id = ?");
    bind_fields(s, 1, h);
    s.bind(28, h.id).bind(29, h.zone_id);
    try {
        s.run();
    } catch (const Error& e) {
        if (e.is_unique_violation()) return WriteResult::duplicate_hostname;
        if (e.is_foreign_key_violation()) return WriteResult::csr_not_found;
        throw;
    }
    if (db_.changes() == 0) return WriteResult::not_found;
    tx.commit();
    return WriteResult::ok;
}

std::optional<CustomHostname> HostnameRepository::find(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    Statement s(db_, std::string("SELECT ") + columns + " FROM custom_hostnames WHERE id = ? AND zone_id = ?");
    s.bind(1, id).bind(2, zone_id);
    if (!s.step()) return std::nullopt;
    return read_row(s);
}

HostnamePage HostnameRepository::list(const std::string& zone_id, const HostnameFilter& f, std::int64_t page,
                                      std::int64_t per_page, HostnameOrder order, bool descending) {
    // Each filter adds one condition with one parameter; absent filters add nothing.
    std::string where = " WHERE zone_id = ?";
    std::vector<std::string> params{zone_id};
    auto add = [&](const std::optional<std::string>& value, const char* condition) {
        if (!value) return;
        where += condition;
        params.push_back(*value);
    };
    add(f.id, " AND id = ?");
    add(f.hostname_exact, " AND hostname = ?");
    add(f.hostname_contains, " AND instr(hostname, ?) > 0");
    if (f.hostname_starts_with) {
        where += " AND substr(hostname, 1, length(?)) = ?";
        params.push_back(*f.hostname_starts_with);
        params.push_back(*f.hostname_starts_with);
    }
    add(f.status, " AND status = ?");
    add(f.ssl_status, " AND ssl_status = ?");
    add(f.certificate_authority, " AND ssl_certificate_authority = ?");
    add(f.custom_origin_server, " AND custom_origin_server = ?");
    if (f.has_ssl) where += *f.has_ssl ? " AND ssl_id IS NOT NULL" : " AND ssl_id IS NULL";
    if (f.wildcard) where += *f.wildcard ? " AND ssl_wildcard = 1" : " AND coalesce(ssl_wildcard, 0) = 0";

    auto lock = db_.lock();
    HostnamePage result;
    Statement count(db_, "SELECT count(*) FROM custom_hostnames" + where);
    for (std::size_t i = 0; i < params.size(); ++i) count.bind(static_cast<int>(i + 1), params[i]);
    count.step();
    result.total_count = count.integer(0);

    std::string dir = descending ? " DESC" : " ASC";
    std::string order_by = order == HostnameOrder::ssl_status
                               ? " ORDER BY coalesce(ssl_status, '')" + dir + ", created_at" + dir + ", id" + dir
                               : " ORDER BY created_at" + dir + ", id" + dir;
    Statement s(db_, std::string("SELECT ") + columns + " FROM custom_hostnames" + where + order_by + " LIMIT ? OFFSET ?");
    int i = 1;
    for (const auto& p : params) s.bind(i++, p);
    s.bind(i++, per_page);
    s.bind(i++, (page - 1) * per_page);
    while (s.step()) result.items.push_back(read_row(s));
    return result;
}

bool HostnameRepository::remove(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    Statement s(db_, "DELETE FROM custom_hostnames WHERE id = ? AND zone_id = ?");
    s.bind(1, id).bind(2, zone_id);
    s.run();
    return db_.changes() > 0;
}

}  // namespace storage
