#include "storage/certificate_pack_repository.hpp"

#include "storage/database.hpp"
#include "storage/row_fields.hpp"
#include "storage/stored_certificate.hpp"

namespace storage {
namespace {

// The pack's plain columns (its key, id and zone_id, first), then those stored differently: the
// hosts one per line, the private keys sealed.
using P = CertificatePack;
constexpr sql::Fields<P, 20> fields{{{"id", &P::id}, {"zone_id", &P::zone_id}, {"type", &P::type},
    {"validation_method", &P::validation_method}, {"validity_days", &P::validity_days},
    {"certificate_authority", &P::certificate_authority}, {"cloudflare_branding", &P::cloudflare_branding},
    {"created_at", &P::created_at}, {"dcv_token", &P::dcv_token}, {"status", &P::status},
    {"status_changed_at", &P::status_changed_at}, {"attempts", &P::attempts}, {"next_check_at", &P::next_check_at},
    {"validation_errors", &P::validation_errors}, {"renewal_failure", &P::renewal_failure}, {"clock_at", &P::clock_at},
    {"ecdsa_certificate_id", &P::ecdsa_certificate_id}, {"rsa_certificate_id", &P::rsa_certificate_id},
    {"ecdsa_chain_pem", &P::ecdsa_chain_pem}, {"rsa_chain_pem", &P::rsa_chain_pem}}};
constexpr auto columns =
    sql::concat(sql::columns_of(fields), sql::Columns<3>{"hosts", "ecdsa_private_key_pem", "rsa_private_key_pem"});
constexpr std::size_t key_columns = 2;  // id, zone_id

consteval int col(std::string_view name) { return sql::index_of(columns, name); }
consteval int param(std::string_view name) { return sql::parameter_of(columns, name); }

constexpr const char* table = "certificate_packs";
const std::string select_sql = sql::select(table, columns);
const std::string update_sql = "UPDATE certificate_packs SET " + sql::assignments(columns, key_columns) +
                               " WHERE id = ?" + std::to_string(param("id")) + " AND zone_id = ?" +
                               std::to_string(param("zone_id"));
const int guard = static_cast<int>(columns.size());
// The status, its change time and the pair: what a settle decides from.
const std::string update_if_unchanged_sql = update_sql + " AND status IS ?" + std::to_string(guard + 1) +
                                            " AND status_changed_at IS ?" + std::to_string(guard + 2) +
                                            " AND ecdsa_chain_pem IS ?" + std::to_string(guard + 3) +
                                            " AND renewal_failure IS ?" + std::to_string(guard + 4);

CertificatePack read_row(const Statement& s) {
    CertificatePack p;
    sql::read_fields(s, p, fields);
    p.hosts = split_lines(s.text(col("hosts")));
    p.ecdsa_private_key_pem = s.database().open_optional_key(s.optional_text(col("ecdsa_private_key_pem")), table,
                                                             "ecdsa_private_key_pem", p.id);
    p.rsa_private_key_pem = s.database().open_optional_key(s.optional_text(col("rsa_private_key_pem")), table,
                                                           "rsa_private_key_pem", p.id);
    return p;
}

void bind_row(Statement& s, const CertificatePack& p) {
    sql::bind_fields(s, p, fields);
    s.bind(param("hosts"), join_lines(p.hosts))
        .bind(param("ecdsa_private_key_pem"),
              s.database().seal_optional_key(p.ecdsa_private_key_pem, table, "ecdsa_private_key_pem", p.id))
        .bind(param("rsa_private_key_pem"),
              s.database().seal_optional_key(p.rsa_private_key_pem, table, "rsa_private_key_pem", p.id));
}

// The (zone_id, id) pairs the settler's queries select.
std::pair<std::string, std::string> zone_and_id(const Statement& row) { return {row.text(0), row.text(1)}; }

}  // namespace

std::optional<CertificatePack> CertificatePackRepository::find_unlocked(const std::string& zone_id,
                                                                       const std::string& id) {
    auto s = statements_.use(select_sql + " WHERE id = ?1 AND zone_id = ?2");
    return sql::first_row(s->bind(1, id).bind(2, zone_id), read_row);
}

void CertificatePackRepository::notify(const CertificatePack* before, const CertificatePack* after) {
    if (!observer_) return;
    auto events = observer_(before, after);
    if (!events.empty()) NotificationOutbox::append_unlocked(statements_, events);
}

void CertificatePackRepository::insert(const CertificatePack& pack) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto s = statements_.use(sql::insert(table, columns));
    bind_row(*s, pack);
    s->run();
    notify(nullptr, &pack);
    tx.commit();
}

bool CertificatePackRepository::update(const CertificatePack& pack) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto before = find_unlocked(pack.zone_id, pack.id);
    auto s = statements_.use(update_sql);
    bind_row(*s, pack);
    if (!s->run_changed()) return false;
    notify(before ? &*before : nullptr, &pack);
    tx.commit();
    return true;
}

bool CertificatePackRepository::update_if_unchanged(const CertificatePack& pack, const CertificatePack& before) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto stored = find_unlocked(pack.zone_id, pack.id);
    auto s = statements_.use(update_if_unchanged_sql);
    bind_row(*s, pack);
    s->bind(guard + 1, before.status)
        .bind(guard + 2, before.status_changed_at)
        .bind(guard + 3, before.ecdsa_chain_pem)
        .bind(guard + 4, before.renewal_failure);
    if (!s->run_changed()) return false;
    notify(stored ? &*stored : nullptr, &pack);
    tx.commit();
    return true;
}

std::optional<CertificatePack> CertificatePackRepository::find(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    return find_unlocked(zone_id, id);
}

std::vector<CertificatePack> CertificatePackRepository::list(const std::string& zone_id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_sql + " WHERE zone_id = ?1 ORDER BY created_at, id");
    return sql::all_rows(s->bind(1, zone_id), read_row);
}

std::int64_t CertificatePackRepository::count(const std::string& zone_id) {
    auto lock = db_.lock();
    auto s = statements_.use("SELECT COUNT(*) FROM certificate_packs WHERE zone_id = ?1");
    s->bind(1, zone_id);
    s->step();
    return s->integer(0);
}

std::vector<std::pair<std::string, std::string>> CertificatePackRepository::to_settle(const std::string& now, bool moving,
                                                                                   std::int64_t limit) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "SELECT zone_id, id FROM certificate_packs WHERE clock_at <= ?1 OR (status = 'active' AND ecdsa_chain_pem IS NULL) "
        "OR (?2 AND status IN ('initializing', 'pending_validation', 'pending_issuance', 'pending_deployment')) "
        "ORDER BY created_at, id LIMIT ?3");
    return sql::all_rows(s->bind(1, now).bind(2, std::int64_t{moving ? 1 : 0}).bind(3, limit), zone_and_id);
}

std::vector<std::pair<std::string, std::string>> CertificatePackRepository::due_for_check(const std::string& now,
                                                                                       std::int64_t limit) {
    auto lock = db_.lock();
    // A renewal's DCV (active, or pending_issuance after a failed one, with a check scheduled) too.
    auto s = statements_.use("SELECT zone_id, id FROM certificate_packs WHERE validation_method IN ('txt', 'http') "
                             "AND (status = 'pending_validation' AND coalesce(next_check_at <= ?1, 1) OR "
                             "status IN ('active', 'pending_issuance') AND next_check_at <= ?1) "
                             "ORDER BY next_check_at, created_at, id LIMIT ?2");
    return sql::all_rows(s->bind(1, now).bind(2, limit), zone_and_id);
}

bool CertificatePackRepository::remove(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    Transaction tx(db_);
    auto before = find_unlocked(zone_id, id);
    auto s = statements_.use("DELETE FROM certificate_packs WHERE id = ?1 AND zone_id = ?2");
    if (!s->bind(1, id).bind(2, zone_id).run_changed()) return false;
    if (before) notify(&*before, nullptr);
    tx.commit();
    return true;
}

}  // namespace storage
