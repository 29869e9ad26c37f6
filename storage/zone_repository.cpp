#include "storage/zone_repository.hpp"

#include "storage/database.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

constexpr sql::Fields<Zone, 7> fields{{{"id", &Zone::id}, {"name", &Zone::name}, {"account_id", &Zone::account_id},
    {"type", &Zone::type}, {"created_on", &Zone::created_on}, {"modified_on", &Zone::modified_on},
    {"activated_on", &Zone::activated_on}}};
constexpr auto columns = sql::columns_of(fields);

const std::string select_sql = sql::select("zones", columns);
// Every filter is optional: a NULL parameter matches all. ?4 is "now" for the status filter
// (1: active, 0: pending).
const std::string where_sql =
    " WHERE (?1 IS NULL OR name = ?1) AND (?2 IS NULL OR account_id = ?2) AND "
    "(?3 IS NULL OR (activated_on <= ?4) = ?3) AND (?7 IS NULL OR name LIKE ?7 ESCAPE '\\')";

Zone read_row(const Statement& s) { return sql::read_row(s, fields); }

void bind_filter(Statement& s, const ZoneFilter& filter) {
    s.bind(1, filter.name).bind(2, filter.account_id);
    if (filter.active) s.bind(3, std::int64_t{*filter.active ? 1 : 0});
    else s.bind_null(3);
    s.bind(4, filter.now).bind(7, filter.name_like);
}

}  // namespace

bool ZoneRepository::insert(const Zone& zone) {
    auto lock = db_.lock();
    auto s = statements_.use(sql::insert("zones", columns) + " ON CONFLICT DO NOTHING");
    sql::bind_fields(*s, zone, fields);
    return s->run_changed();
}

std::optional<Zone> ZoneRepository::find(const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use(select_sql + " WHERE id = ?1");
    return sql::first_row(s->bind(1, id), read_row);
}

std::optional<std::string> ZoneRepository::account_while_locked(const std::string& zone_id) {
    auto s = statements_.use("SELECT account_id FROM zones WHERE id = ?1");
    return sql::first_row(s->bind(1, zone_id), [](const Statement& row) { return row.text(0); });
}

std::optional<Zone> ZoneRepository::find_by_name(const std::string& name) {
    auto lock = db_.lock();
    auto s = statements_.use(select_sql + " WHERE name = ?1");
    return sql::first_row(s->bind(1, name), read_row);
}

ZonePage ZoneRepository::list(const ZoneFilter& filter, std::int64_t page, std::int64_t per_page) {
    auto lock = db_.lock();
    ZonePage out;
    {
        auto count = statements_.use("SELECT COUNT(*) FROM zones" + where_sql + " AND ?5 IS NULL AND ?6 IS NULL");
        bind_filter(*count, filter);
        count->bind_null(5).bind_null(6);
        count->step();
        out.total_count = count->integer(0);
    }
    auto s = statements_.use(select_sql + where_sql + (filter.descending ? " ORDER BY name DESC" : " ORDER BY name") +
                             " LIMIT ?5 OFFSET ?6");
    bind_filter(*s, filter);
    s->bind(5, per_page).bind(6, (page - 1) * per_page);
    out.items = sql::all_rows(*s, read_row);
    return out;
}

bool ZoneRepository::remove(const std::string& id) {
    auto lock = db_.lock();
    auto s = statements_.use("DELETE FROM zones WHERE id = ?1");
    s->bind(1, id);
    return s->run_changed();
}

std::vector<Zone> ZoneRepository::all() {
    auto lock = db_.lock();
    auto s = statements_.use(select_sql + " ORDER BY name");
    return sql::all_rows(*s, read_row);
}

}  // namespace storage
