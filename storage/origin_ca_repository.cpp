#include "storage/origin_ca_repository.hpp"

#include "storage/database.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

using C = OriginCertificate;
constexpr sql::Fields<C, 9> fields{{{"id", &C::id}, {"request_type", &C::request_type},
    {"requested_validity", &C::requested_validity}, {"hostnames", &C::hostnames}, {"csr_pem", &C::csr_pem},
    {"certificate_pem", &C::certificate_pem}, {"created_at", &C::created_at}, {"expires_on", &C::expires_on},
    {"revoked_at", &C::revoked_at}}};
constexpr auto columns = sql::columns_of(fields);

constexpr sql::Columns<4> root_columns = {"kind", "created_at", "certificate_pem", "private_key_pem"};
consteval int root_param(std::string_view name) { return sql::parameter_of(root_columns, name); }

const std::string select_sql = sql::select("origin_ca_certificates", columns);

OriginCertificate read_row(const Statement& s) { return sql::read_row(s, fields); }

}  // namespace

std::optional<StoredOriginRoot> OriginCaRepository::root(const std::string& kind) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::select("origin_ca_roots", root_columns) + " WHERE kind = ?1");
    return sql::first_row(s->bind(1, kind), [&](const Statement& row) {
        return StoredOriginRoot{kind, row.text(1), row.text(2),
                                db_.open_key(row.text(3), "origin_ca_roots", "private_key_pem", kind)};
    });
}

void OriginCaRepository::insert_root(const StoredOriginRoot& root) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::insert("origin_ca_roots", root_columns));
    s->bind(root_param("kind"), root.kind)
        .bind(root_param("created_at"), root.created_at)
        .bind(root_param("certificate_pem"), root.certificate_pem)
        .bind(root_param("private_key_pem"), db_.seal_key(root.private_key_pem, "origin_ca_roots", "private_key_pem", root.kind));
    s->run();
}

void OriginCaRepository::insert(const OriginCertificate& c, const std::vector<std::string>& zone_ids) {
    auto lock = db_.lock();
    Transaction tx(db_);
    {
        auto s = statements_.use(sql::insert("origin_ca_certificates", columns));
        sql::bind_fields(*s, c, fields);
        s->run();
    }
    for (const auto& zone_id : zone_ids) {
        auto s = statements_.use("INSERT OR IGNORE INTO origin_ca_certificate_zones (certificate_id, zone_id) VALUES (?1, ?2)");
        s->bind(1, c.id).bind(2, zone_id);
        s->run();
    }
    tx.commit();
}

std::optional<OriginCertificate> OriginCaRepository::find(const std::string& id) {
    auto lock = db_.lock();
    return find_unlocked(id);
}

std::optional<OriginCertificate> OriginCaRepository::find_unlocked(const std::string& id) {
    auto s = statements_.use(select_sql + " WHERE id = ?1");
    return sql::first_row(s->bind(1, id), read_row);
}

OriginCertificatePage OriginCaRepository::list(const std::string& zone_id, std::int64_t page, std::int64_t per_page) {
    auto lock = db_.lock();
    OriginCertificatePage out;
    {
        auto count = statements_.use("SELECT COUNT(*) FROM origin_ca_certificate_zones WHERE zone_id = ?1");
        count->bind(1, zone_id);
        count->step();
        out.total_count = count->integer(0);
    }
    auto s = statements_.use(select_sql + " WHERE id IN (SELECT certificate_id FROM origin_ca_certificate_zones "
                                          "WHERE zone_id = ?1) ORDER BY created_at, id LIMIT ?2 OFFSET ?3");
    s->bind(1, zone_id).bind(2, per_page).bind(3, (page - 1) * per_page);
    out.items = sql::all_rows(*s, read_row);
    return out;
}

std::optional<OriginCertificate> OriginCaRepository::revoke(const std::string& id, const std::string& revoked_at) {
    auto lock = db_.lock();
    auto s = statements_.use("UPDATE origin_ca_certificates SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
    s->bind(1, id).bind(2, revoked_at);
    s->run();
    return find_unlocked(id);
}

}  // namespace storage
