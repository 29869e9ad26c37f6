#include "storage/hostname_repository.hpp"

#include "storage/csr_lookup.hpp"
#include "storage/database.hpp"
#include "storage/hostname_history.hpp"
#include "storage/hostnames_in_motion.hpp"
#include "storage/ordered_list.hpp"

#include <algorithm>

#include "storage/row_fields.hpp"

namespace storage {
namespace {

// The (zone id, hostname id) pairs the settler's queries select.
std::pair<std::string, std::string> zone_and_id(const Statement& s) { return {s.text(0), s.text(1)}; }

// The row's key (id, zone_id) comes first: an update sets every column after it.
constexpr std::size_t key_columns = 2;
// The hostname's own columns, in two runs; the ssl object's (all NULL without one) follow each.
using H = CustomHostname;
constexpr sql::Fields<H, 9> hostname_fields{{{"id", &H::id}, {"zone_id", &H::zone_id}, {"hostname", &H::hostname},
    {"status", &H::status}, {"created_at", &H::created_at}, {"custom_metadata", &H::custom_metadata},
    {"custom_origin_server", &H::custom_origin_server}, {"custom_origin_sni", &H::custom_origin_sni},
    {"ownership_token", &H::ownership_token}}};
constexpr sql::Fields<H, 4> ownership_fields{{{"status_changed_at", &H::status_changed_at},
    {"ownership_attempts", &H::ownership_attempts}, {"ownership_next_check_at", &H::ownership_next_check_at},
    {"verification_errors", &H::verification_errors}}};
constexpr auto columns = sql::concat(
    sql::concat(
        sql::concat(sql::columns_of(hostname_fields),
                    sql::Columns<11>{"ssl_id", "ssl_status", "ssl_method", "ssl_type", "ssl_bundle_method",
                                     "ssl_wildcard", "ssl_certificate_authority", "ssl_settings", "ssl_dcv_token",
                                     "ssl_uploaded_on", "custom_csr_id"}),
        sql::concat(sql::columns_of(ownership_fields),
                    sql::Columns<8>{"ssl_status_changed_at", "ssl_attempts", "ssl_next_check_at",
                                    "ssl_validation_errors", "dv_ecdsa_chain_pem", "dv_ecdsa_private_key_pem",
                                    "dv_rsa_chain_pem", "dv_rsa_private_key_pem"})),
    sql::concat(sql::Columns<5>{"ssl_clock_at", "ssl_renewal_failure", "cert_id", "dv_ecdsa_certificate_id",
                                "dv_rsa_certificate_id"},
                certificate_columns));

consteval int col(std::string_view name) { return sql::index_of(columns, name); }
consteval int param(std::string_view name) { return sql::parameter_of(columns, name); }

const std::string select_sql = sql::select("custom_hostnames", columns);
const std::string insert_sql = sql::insert("custom_hostnames", columns);
const std::string update_sql = "UPDATE custom_hostnames SET " + sql::assignments(columns, key_columns) + " WHERE id = ?" +
                               std::to_string(param("id")) + " AND zone_id = ?" + std::to_string(param("zone_id"));

// Extra parameters after the columns' for update_if_unchanged; IS compares NULLs as equal.
const int guard = static_cast<int>(columns.size());
const std::string update_if_unchanged_sql =
    update_sql + " AND status IS ?" + std::to_string(guard + 1) + " AND status_changed_at IS ?" +
    std::to_string(guard + 2) + " AND ssl_id IS ?" + std::to_string(guard + 3) + " AND ssl_status IS ?" +
    std::to_string(guard + 4) + " AND ssl_status_changed_at IS ?" + std::to_string(guard + 5) +
    // The DV pair and the next checks too: two settlers issuing at once must not swap the pair a
    // client has seen, and a check's result must not undo a PATCH's "check now".
    " AND dv_ecdsa_chain_pem IS ?" + std::to_string(guard + 6) + " AND ownership_next_check_at IS ?" +
    std::to_string(guard + 7) + " AND ssl_next_check_at IS ?" + std::to_string(guard + 8) +
    // A renewal failure asked for meanwhile must not be dropped by a settle that read none.
    " AND ssl_renewal_failure IS ?" + std::to_string(guard + 9);

CustomHostname read_row(const Statement& s) {
    CustomHostname h;
    sql::read_fields(s, h, hostname_fields, col("id"));
    sql::read_fields(s, h, ownership_fields, col("status_changed_at"));
    if (!s.is_null(col("ssl_id"))) {
        HostnameSsl ssl;
        ssl.id = s.text(col("ssl_id"));
        ssl.status = s.text(col("ssl_status"));
        ssl.method = s.text(col("ssl_method"));
        ssl.type = s.text(col("ssl_type"));
        ssl.bundle_method = s.text(col("ssl_bundle_method"));
        ssl.wildcard = s.integer(col("ssl_wildcard")) != 0;
        ssl.certificate_authority = s.optional_text(col("ssl_certificate_authority"));
        ssl.settings = s.optional_text(col("ssl_settings"));
        ssl.dcv_token = s.optional_text(col("ssl_dcv_token"));
        ssl.uploaded_on = s.optional_text(col("ssl_uploaded_on"));
        ssl.custom_csr_id = s.optional_text(col("custom_csr_id"));
        ssl.certificate = read_certificate_columns(s, col("cert_chain_pem"), "custom_hostnames", h.id);
        ssl.status_changed_at = s.optional_text(col("ssl_status_changed_at"));
        ssl.attempts = s.integer(col("ssl_attempts"));
        ssl.next_check_at = s.optional_text(col("ssl_next_check_at"));
        ssl.validation_errors = s.text(col("ssl_validation_errors"));
        ssl.dv_ecdsa_chain_pem = s.optional_text(col("dv_ecdsa_chain_pem"));
        ssl.dv_ecdsa_private_key_pem = s.database().open_optional_key(
            s.optional_text(col("dv_ecdsa_private_key_pem")), "custom_hostnames", "dv_ecdsa_private_key_pem", h.id);
        ssl.clock_at = s.optional_text(col("ssl_clock_at"));
        ssl.renewal_failure = s.optional_text(col("ssl_renewal_failure"));
        ssl.certificate_id = s.optional_text(col("cert_id"));
        ssl.dv_ecdsa_certificate_id = s.optional_text(col("dv_ecdsa_certificate_id"));
        ssl.dv_rsa_certificate_id = s.optional_text(col("dv_rsa_certificate_id"));
        ssl.dv_rsa_chain_pem = s.optional_text(col("dv_rsa_chain_pem"));
        ssl.dv_rsa_private_key_pem = s.database().open_optional_key(
            s.optional_text(col("dv_rsa_private_key_pem")), "custom_hostnames", "dv_rsa_private_key_pem", h.id);
        h.ssl = std::move(ssl);
    }
    return h;
}

// Binds every column; the insert and the update number their parameters alike.
void bind_row(Statement& s, const CustomHostname& h) {
    sql::bind_fields(s, h, hostname_fields, param("id"));
    sql::bind_fields(s, h, ownership_fields, param("status_changed_at"));
    const HostnameSsl* ssl = h.ssl ? &*h.ssl : nullptr;
    const StoredCertificate* cert = ssl && ssl->certificate ? &*ssl->certificate : nullptr;
    auto opt = [](bool present, const std::string& value) {
        return present ? std::optional<std::string>(value) : std::nullopt;
    };
    s.bind(param("ssl_id"), opt(ssl, ssl ? ssl->id : ""));
    s.bind(param("ssl_status"), opt(ssl, ssl ? ssl->status : ""));
    s.bind(param("ssl_method"), opt(ssl, ssl ? ssl->method : ""));
    s.bind(param("ssl_type"), opt(ssl, ssl ? ssl->type : ""));
    s.bind(param("ssl_bundle_method"), opt(ssl, ssl ? ssl->bundle_method : ""));
    if (ssl) s.bind(param("ssl_wildcard"), std::int64_t{ssl->wildcard ? 1 : 0});
    else s.bind_null(param("ssl_wildcard"));
    s.bind(param("ssl_certificate_authority"), ssl ? ssl->certificate_authority : std::nullopt);
    s.bind(param("ssl_settings"), ssl ? ssl->settings : std::nullopt);
    s.bind(param("ssl_dcv_token"), ssl ? ssl->dcv_token : std::nullopt);
    s.bind(param("ssl_uploaded_on"), ssl ? ssl->uploaded_on : std::nullopt);
    s.bind(param("custom_csr_id"), ssl ? ssl->custom_csr_id : std::nullopt);
    bind_certificate_columns(s, param("cert_chain_pem"), cert, "custom_hostnames", h.id);
    s.bind(param("ssl_status_changed_at"), ssl ? ssl->status_changed_at : std::nullopt);
    s.bind(param("ssl_attempts"), ssl ? ssl->attempts : std::int64_t{0});
    s.bind(param("ssl_next_check_at"), ssl ? ssl->next_check_at : std::nullopt);
    s.bind(param("ssl_validation_errors"), ssl ? ssl->validation_errors : std::string("[]"));
    s.bind(param("dv_ecdsa_chain_pem"), ssl ? ssl->dv_ecdsa_chain_pem : std::nullopt);
    s.bind(param("dv_ecdsa_private_key_pem"),
           ssl ? s.database().seal_optional_key(ssl->dv_ecdsa_private_key_pem, "custom_hostnames",
                                                "dv_ecdsa_private_key_pem", h.id)
               : std::nullopt);
    s.bind(param("dv_rsa_chain_pem"), ssl ? ssl->dv_rsa_chain_pem : std::nullopt);
    s.bind(param("dv_rsa_private_key_pem"),
           ssl ? s.database().seal_optional_key(ssl->dv_rsa_private_key_pem, "custom_hostnames",
                                                "dv_rsa_private_key_pem", h.id)
               : std::nullopt);
    s.bind(param("ssl_clock_at"), ssl ? ssl->clock_at : std::nullopt);
    s.bind(param("ssl_renewal_failure"), ssl ? ssl->renewal_failure : std::nullopt);
    s.bind(param("cert_id"), cert ? ssl->certificate_id : std::nullopt);
    s.bind(param("dv_ecdsa_certificate_id"), ssl ? ssl->dv_ecdsa_certificate_id : std::nullopt);
    s.bind(param("dv_rsa_certificate_id"), ssl ? ssl->dv_rsa_certificate_id : std::nullopt);
}

const std::optional<std::string>& csr_of(const CustomHostname& h) {
    static const std::optional<std::string> none;
    return h.ssl ? h.ssl->custom_csr_id : none;
}

}  // namespace

WriteResult HostnameRepository::write(const std::string& sql, const CustomHostname& h) {
    if (csr_of(h) && !csr_exists(statements_, Scope::zone, h.zone_id, *csr_of(h))) return WriteResult::csr_not_found;
    auto s = statements_.use(sql);
    bind_row(*s, h);
    try {
        s->run();
    } catch (const Error& e) {
        if (e.is_unique_violation()) return WriteResult::duplicate_hostname;
        if (e.is_foreign_key_violation()) return WriteResult::csr_not_found;
        throw;
    }
    return WriteResult::ok;
}

std::optional<CustomHostname> HostnameRepository::before_write(const std::string& zone_id, const std::string& id) {
    auto s = statements_.use(select_sql + " WHERE id = ? AND zone_id = ?");
    s->bind(1, id).bind(2, zone_id);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

void HostnameRepository::notify(const CustomHostname* before, const CustomHostname* after) {
    if (after) record_status_changes(statements_, before, *after);
    if (!observer_) return;
    auto events = observer_(before, after);
    if (!events.empty()) NotificationOutbox::append_unlocked(statements_, events);
}

WriteResult HostnameRepository::insert(const CustomHostname& h) {
    auto lock = db_.lock();
    Transaction tx(db_);
    WriteResult result = write(insert_sql, h);
    if (result != WriteResult::ok) return result;
    notify(nullptr, &h);
    tx.commit();
    return result;
}

WriteResult HostnameRepository::update(const CustomHostname& h) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto before = before_write(h.zone_id, h.id);
    WriteResult result = write(update_sql, h);
    if (result == WriteResult::ok && db_.changes() == 0) return WriteResult::not_found;
    if (result != WriteResult::ok) return result;
    notify(before ? &*before : nullptr, &h);
    tx.commit();
    return result;
}

WriteResult HostnameRepository::update_if_unchanged(const CustomHostname& h, const CustomHostname& before) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto stored = before_write(h.zone_id, h.id);
    auto s = statements_.use(update_if_unchanged_sql);
    bind_row(*s, h);
    s->bind(guard + 1, before.status);
    s->bind(guard + 2, before.status_changed_at);
    s->bind(guard + 3, before.ssl ? std::optional(before.ssl->id) : std::nullopt);
    s->bind(guard + 4, before.ssl ? std::optional(before.ssl->status) : std::nullopt);
    s->bind(guard + 5, before.ssl ? before.ssl->status_changed_at : std::nullopt);
    s->bind(guard + 6, before.ssl ? before.ssl->dv_ecdsa_chain_pem : std::nullopt);
    s->bind(guard + 7, before.ownership_next_check_at);
    s->bind(guard + 8, before.ssl ? before.ssl->next_check_at : std::nullopt);
    s->bind(guard + 9, before.ssl ? before.ssl->renewal_failure : std::nullopt);
    s->run();
    if (db_.changes() == 0) return WriteResult::not_found;
    notify(stored ? &*stored : nullptr, &h);
    tx.commit();
    return WriteResult::ok;
}

std::vector<HostnameStatusChange> HostnameRepository::history(const std::string& id) {
    auto lock = db_.lock();
    return status_history(statements_, id);
}

std::optional<CustomHostname> HostnameRepository::find(const std::string& zone_id, const std::string& id) {
    // A reader connection: a GET does not wait for the settler's writes (a renewal wave's
    // issuance holds the main connection for milliseconds per hostname).
    auto read = db_.read(statements_);
    auto s = read.statements().use(select_sql + " WHERE id = ? AND zone_id = ?");
    s->bind(1, id).bind(2, zone_id);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
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
    // A wildcard: a "*." hostname, or a certificate that covers the hostname's wildcard too.
    if (f.wildcard)
        where += *f.wildcard ? " AND (ssl_wildcard = 1 OR substr(hostname, 1, 2) = '*.')"
                             : " AND coalesce(ssl_wildcard, 0) = 0 AND substr(hostname, 1, 2) <> '*.'";

    std::string dir = descending ? " DESC" : " ASC";
    if (params.size() == 1 && where == " WHERE zone_id = ?") {
        // No filter: the zone's ordered list (storage/ordered_list.hpp), same order as below.
        static const std::string by_created_sql = select_sql +
            " WHERE zone_id = ?1 AND (created_at, id) >= (?2, ?3) ORDER BY created_at, id LIMIT ?4 OFFSET ?5";
        static const std::string by_ssl_status_sql = select_sql +
            " WHERE zone_id = ?1 AND (ssl_status_key, created_at, id) >= (?2, ?3, ?4)"
            " ORDER BY ssl_status_key, created_at, id LIMIT ?5 OFFSET ?6";
        const bool by_status = order == HostnameOrder::ssl_status;
        ListQuery query{by_status ? OrderedList::hostnames_by_ssl_status : OrderedList::hostnames_by_created, zone_id,
                        by_status ? by_ssl_status_sql : by_created_sql, 1, by_status ? 3 : 2,
                        [&](Statement& s) { s.bind(1, zone_id); }};
        auto read = db_.read(statements_);
        HostnamePage result;
        result.total_count = read_ordered_page(read.statements(), query, (page - 1) * per_page, per_page, descending,
                                               [&](const Statement& s) { result.items.push_back(read_row(s)); });
        if (descending) std::reverse(result.items.begin(), result.items.end());
        return result;
    }

    // Filtered lists count their matches and skip to the page.
    auto read = db_.read(statements_);
    HostnamePage result;
    {
        auto count = read.statements().use("SELECT count(*) FROM custom_hostnames" + where);
        for (std::size_t i = 0; i < params.size(); ++i) count->bind(static_cast<int>(i + 1), params[i]);
        count->step();
        result.total_count = count->integer(0);
    }

    std::string order_by = order == HostnameOrder::ssl_status
                               ? " ORDER BY ssl_status_key" + dir + ", created_at" + dir + ", id" + dir
                               : " ORDER BY created_at" + dir + ", id" + dir;
    auto s = read.statements().use(select_sql + where + order_by + " LIMIT ? OFFSET ?");
    int i = 1;
    for (const auto& p : params) s->bind(i++, p);
    s->bind(i++, per_page);
    s->bind(i++, (page - 1) * per_page);
    while (s->step()) result.items.push_back(read_row(*s));
    return result;
}

bool HostnameRepository::remove(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto before = before_write(zone_id, id);
    {
        auto s = statements_.use("DELETE FROM custom_hostnames WHERE id = ? AND zone_id = ?");
        s->bind(1, id).bind(2, zone_id);
        s->run();
    }
    if (db_.changes() == 0) return false;
    if (before) notify(&*before, nullptr);
    tx.commit();
    return true;
}

std::vector<std::pair<std::string, std::string>> HostnameRepository::due_for_check(const std::string& now,
                                                                                 std::int64_t limit) {
    auto lock = db_.lock();
    auto s = statements_.use(hostname_queries::due_for_check);
    return sql::all_rows(s->bind(1, now).bind(2, limit), zone_and_id);
}

std::vector<std::pair<std::string, std::string>> HostnameRepository::clock_due(const std::string& now,
                                                                             std::int64_t limit) {
    auto lock = db_.lock();
    auto s = statements_.use(hostname_queries::clock_due);
    return sql::all_rows(s->bind(1, now).bind(2, limit), zone_and_id);
}

std::vector<std::pair<std::string, std::string>> HostnameRepository::unsettled(std::int64_t limit,
                                                                             bool checks_by_time) {
    auto lock = db_.lock();
    auto s = statements_.use(hostname_queries::unsettled);
    return sql::all_rows(s->bind(1, limit).bind(2, static_cast<std::int64_t>(checks_by_time ? 1 : 0)), zone_and_id);
}

}  // namespace storage
