#include "storage/fallback_origin_repository.hpp"

#include "storage/database.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

// The row as stored and read; zone_id is the key (at most one origin per zone).
using F = FallbackOrigin;
constexpr sql::Fields<F, 8> fields{{{"zone_id", &F::zone_id}, {"origin", &F::origin}, {"status", &F::status},
    {"errors", &F::errors}, {"created_at", &F::created_at}, {"updated_at", &F::updated_at},
    {"attempts", &F::attempts}, {"next_check_at", &F::next_check_at}}};
constexpr auto columns = sql::columns_of(fields);

const std::string find_sql = sql::select("fallback_origins", columns) + " WHERE zone_id = ?1";
// A PUT replaces everything but created_at.
const std::string put_sql = sql::insert("fallback_origins", columns) +
                            " ON CONFLICT (zone_id) DO UPDATE SET origin = excluded.origin, status = excluded.status, "
                            "errors = excluded.errors, updated_at = excluded.updated_at, "
                            "attempts = excluded.attempts, next_check_at = excluded.next_check_at";

FallbackOrigin read_row(const Statement& s) { return sql::read_row(s, fields); }

std::string first_text(const Statement& s) { return s.text(0); }

}  // namespace

FallbackOrigin FallbackOriginRepository::put(const FallbackOrigin& origin) {
    auto lock = db_.lock();
    {
        auto s = statements_.use(put_sql);
        sql::bind_fields(*s, origin, fields);
        s->run();
    }
    return *find_unlocked(origin.zone_id);
}

std::optional<FallbackOrigin> FallbackOriginRepository::find(const std::string& zone_id) {
    auto lock = db_.lock();
    return find_unlocked(zone_id);
}

// The caller holds the database lock (it is not recursive).
std::optional<FallbackOrigin> FallbackOriginRepository::find_unlocked(const std::string& zone_id) {
    auto s = statements_.use(find_sql);
    return sql::first_row(s->bind(1, zone_id), read_row);
}

bool FallbackOriginRepository::set_status(const std::string& zone_id, const std::string& expected,
                                          const std::string& status, const std::string& errors,
                                          const std::string& updated_at) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "UPDATE fallback_origins SET status = ?1, errors = ?2, updated_at = ?3, next_check_at = NULL "
        "WHERE zone_id = ?4 AND status = ?5");
    s->bind(1, status).bind(2, errors).bind(3, updated_at).bind(4, zone_id).bind(5, expected);
    return s->run_changed();
}

bool FallbackOriginRepository::remove_if(const std::string& zone_id, const std::string& expected) {
    auto lock = db_.lock();
    auto s = statements_.use("DELETE FROM fallback_origins WHERE zone_id = ?1 AND status = ?2");
    s->bind(1, zone_id).bind(2, expected);
    return s->run_changed();
}

std::vector<std::string> FallbackOriginRepository::pending_since(const std::string& changed_by, bool deployments,
                                                                std::int64_t limit) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "SELECT zone_id FROM fallback_origins WHERE (status = 'pending_deletion' OR "
        "(?1 AND status = 'pending_deployment')) AND updated_at <= ?2 ORDER BY updated_at LIMIT ?3");
    return sql::all_rows(s->bind(1, std::int64_t{deployments ? 1 : 0}).bind(2, changed_by).bind(3, limit), first_text);
}

std::vector<std::string> FallbackOriginRepository::due_for_check(const std::string& now, std::int64_t limit) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "SELECT zone_id FROM fallback_origins WHERE status = 'pending_deployment' "
        "AND (next_check_at IS NULL OR next_check_at <= ?1) ORDER BY next_check_at LIMIT ?2");
    return sql::all_rows(s->bind(1, now).bind(2, limit), first_text);
}

bool FallbackOriginRepository::record_check(const FallbackOrigin& seen, const FallbackOrigin& checked) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "UPDATE fallback_origins SET status = ?1, errors = ?2, attempts = ?3, next_check_at = ?4, updated_at = ?5 "
        "WHERE zone_id = ?6 AND origin = ?7 AND status = ?8 AND updated_at = ?9 AND attempts = ?10");
    s->bind(1, checked.status)
        .bind(2, checked.errors)
        .bind(3, checked.attempts)
        .bind(4, checked.next_check_at)
        .bind(5, checked.updated_at)
        .bind(6, seen.zone_id)
        .bind(7, seen.origin)
        .bind(8, seen.status)
        .bind(9, seen.updated_at)
        .bind(10, seen.attempts);
    return s->run_changed();
}

}  // namespace storage
