#include "storage/certificate_pack_repository.hpp"

#include "storage/database.hpp"
#include "storage/sql_columns.hpp"
#include "storage/stored_certificate.hpp"

namespace storage {
namespace {

constexpr sql::Columns<23> columns = {
    "id",                    "zone_id",          "type",                  "hosts",
    "validation_method",     "validity_days",    "certificate_authority", "cloudflare_branding",
    "created_at",            "dcv_token",        "status",                "status_changed_at",
    "attempts",              "next_check_at",    "validation_errors",     "renewal_failure",
    "clock_at",              "ecdsa_certificate_id", "rsa_certificate_id", "ecdsa_chain_pem",
    "ecdsa_private_key_pem", "rsa_chain_pem",    "rsa_private_key_pem"};
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
    p.id = s.text(col("id"));
    p.zone_id = s.text(col("zone_id"));
    p.type = s.text(col("type"));
    p.hosts = split_lines(s.text(col("hosts")));
    p.validation_method = s.text(col("validation_method"));
    p.validity_days = s.integer(col("validity_days"));
    p.certificate_authority = s.text(col("certificate_authority"));
    p.cloudflare_branding = s.integer(col("cloudflare_branding")) != 0;
    p.created_at = s.text(col("created_at"));
    p.dcv_token = s.text(col("dcv_token"));
    p.status = s.text(col("status"));
    p.status_changed_at = s.text(col("status_changed_at"));
    p.attempts = s.integer(col("attempts"));
    p.next_check_at = s.optional_text(col("next_check_at"));
    p.validation_errors = s.text(col("validation_errors"));
    p.renewal_failure = s.optional_text(col("renewal_failure"));
    p.clock_at = s.optional_text(col("clock_at"));
    p.ecdsa_certificate_id = s.optional_text(col("ecdsa_certificate_id"));
    p.rsa_certificate_id = s.optional_text(col("rsa_certificate_id"));
    p.ecdsa_chain_pem = s.optional_text(col("ecdsa_chain_pem"));
    p.ecdsa_private_key_pem = s.database().open_optional_key(s.optional_text(col("ecdsa_private_key_pem")), table,
                                                             "ecdsa_private_key_pem", p.id);
    p.rsa_chain_pem = s.optional_text(col("rsa_chain_pem"));
    p.rsa_private_key_pem = s.database().open_optional_key(s.optional_text(col("rsa_private_key_pem")), table,
                                                           "rsa_private_key_pem", p.id);
    return p;
}

void bind_row(Statement& s, const CertificatePack& p) {
    s.bind(param("id"), p.id)
        .bind(param("zone_id"), p.zone_id)
        .bind(param("type"), p.type)
        .bind(param("hosts"), join_lines(p.hosts))
        .bind(param("validation_method"), p.validation_method)
        .bind(param("validity_days"), p.validity_days)
        .bind(param("certificate_authority"), p.certificate_authority)
        .bind(param("cloudflare_branding"), std::int64_t{p.cloudflare_branding ? 1 : 0})
        .bind(param("created_at"), p.created_at)
        .bind(param("dcv_token"), p.dcv_token)
        .bind(param("status"), p.status)
        .bind(param("status_changed_at"), p.status_changed_at)
        .bind(param("attempts"), p.attempts)
        .bind(param("next_check_at"), p.next_check_at)
        .bind(param("validation_errors"), p.validation_errors)
        .bind(param("renewal_failure"), p.renewal_failure)
        .bind(param("clock_at"), p.clock_at)
        .bind(param("ecdsa_certificate_id"), p.ecdsa_certificate_id)
        .bind(param("rsa_certificate_id"), p.rsa_certificate_id)
        .bind(param("ecdsa_chain_pem"), p.ecdsa_chain_pem)
        .bind(param("ecdsa_private_key_pem"),
              s.database().seal_optional_key(p.ecdsa_private_key_pem, table, "ecdsa_private_key_pem", p.id))
        .bind(param("rsa_chain_pem"), p.rsa_chain_pem)
        .bind(param("rsa_private_key_pem"),
              s.database().seal_optional_key(p.rsa_private_key_pem, table, "rsa_private_key_pem", p.id));
}

}  // namespace

void CertificatePackRepository::insert(const CertificatePack& pack) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::insert(table, columns));
    bind_row(*s, pack);
    s->run();
}

bool CertificatePackRepository::update(const CertificatePack& pack) {
    auto lock = db_.lock();
    auto s = statements_.use(update_sql);
    bind_row(*s, pack);
    s->run();
    return db_.changes() > 0;
}

bool CertificatePackRepository::update_if_unchanged(const CertificatePack& pack, const CertificatePack& before) {
    auto lock = db_.lock();
    auto s = statements_.use(update_if_unchanged_sql);
    bind_row(*s, pack);
    s->bind(guard + 1, before.status)
        .bind(guard + 2, before.status_changed_at)
        .bind(guard + 3, before.ecdsa_chain_pem)
        .bind(guard + 4, before.renewal_failure);
    s->run();
    return db_.changes() > 0;
}

std::optional<CertificatePack> CertificatePackRepository::find(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_sql + " WHERE id = ?1 AND zone_id = ?2");
    s->bind(1, id).bind(2, zone_id);
    if (!s->step()) return std::nullopt;
    return read_row(*s);
}

std::vector<CertificatePack> CertificatePackRepository::list(const std::string& zone_id) {
    auto lock = db_.lock();
    std::vector<CertificatePack> out;
    auto s = statements_.use(select_sql + " WHERE zone_id = ?1 ORDER BY created_at, id");
    s->bind(1, zone_id);
    while (s->step()) out.push_back(read_row(*s));
    return out;
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
    s->bind(1, now).bind(2, std::int64_t{moving ? 1 : 0}).bind(3, limit);
    std::vector<std::pair<std::string, std::string>> out;
    while (s->step()) out.emplace_back(s->text(0), s->text(1));
    return out;
}

bool CertificatePackRepository::remove(const std::string& zone_id, const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use("DELETE FROM certificate_packs WHERE id = ?1 AND zone_id = ?2");
    s->bind(1, id).bind(2, zone_id);
    s->run();
    return db_.changes() > 0;
}

}  // namespace storage
