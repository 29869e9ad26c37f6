#include "storage/fallback_origin_repository.hpp"

#include "storage/database.hpp"

namespace storage {

FallbackOrigin FallbackOriginRepository::put(const FallbackOrigin& origin) {
    auto lock = db_.lock();
    Statement s(db_,
                "INSERT INTO fallback_origins (zone_id, origin, status, errors, created_at, updated_at, attempts, "
                "next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (zone_id) DO UPDATE SET origin = excluded.origin, status = excluded.status, "
                "errors = excluded.errors, updated_at = excluded.updated_at, attempts = excluded.attempts, "
                "next_check_at = excluded.next_check_at");
    s.bind(1, origin.zone_id)
        .bind(2, origin.origin)
        .bind(3, origin.status)
        .bind(4, origin.errors)
        .bind(5, origin.created_at)
        .bind(6, origin.updated_at)
        .bind(7, origin.attempts)
        .bind(8, origin.next_check_at);
    s.run();
    return *find_unlocked(origin.zone_id);
}

std::optional<FallbackOrigin> FallbackOriginRepository::find(const std::string& zone_id) {
    auto lock = db_.lock();
    return find_unlocked(zone_id);
}

// The caller holds the database lock (it is not recursive).
std::optional<FallbackOrigin> FallbackOriginRepository::find_unlocked(const std::string& zone_id) {
    Statement s(db_,
                "SELECT zone_id, origin, status, errors, created_at, updated_at, attempts, next_check_at "
                "FROM fallback_origins WHERE zone_id = ?");
    s.bind(1, zone_id);
    if (!s.step()) return std::nullopt;
    return FallbackOrigin{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.integer(6),
                          s.optional_text(7)};
}

bool FallbackOriginRepository::set_status(const std::string& zone_id, const std::string& expected,
                                          const std::string& status, const std::string& errors,
                                          const std::string& updated_at) {
    auto lock = db_.lock();
    Statement s(db_,
                "UPDATE fallback_origins SET status = ?, errors = ?, updated_at = ?, next_check_at = NULL "
                "WHERE zone_id = ? AND status = ?");
    s.bind(1, status).bind(2, errors).bind(3, updated_at).bind(4, zone_id).bind(5, expected);
    s.run();
    return db_.changes() > 0;
}

bool FallbackOriginRepository::remove_if(const std::string& zone_id, const std::string& expected) {
    auto lock = db_.lock();
    Statement s(db_, "DELETE FROM fallback_origins WHERE zone_id = ? AND status = ?");
    s.bind(1, zone_id).bind(2, expected);
    s.run();
    return db_.changes() > 0;
}

std::vector<std::string> FallbackOriginRepository::pending_since(const std::string& changed_by, bool deployments,
                                                                std::int64_t limit) {
    auto lock = db_.lock();
    Statement s(db_,
                "SELECT zone_id FROM fallback_origins WHERE (status = 'pending_deletion' OR "
                "(? AND status = 'pending_deployment')) AND updated_at <= ? ORDER BY updated_at LIMIT ?");
    s.bind(1, std::int64_t{deployments ? 1 : 0}).bind(2, changed_by).bind(3, limit);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::vector<std::string> FallbackOriginRepository::due_for_check(const std::string& now, std::int64_t limit) {
    auto lock = db_.lock();
    Statement s(db_,
                "SELECT zone_id FROM fallback_origins WHERE status = 'pending_deployment' "
                "AND (next_check_at IS NULL OR next_check_at <= ?) ORDER BY next_check_at LIMIT ?");
    s.bind(1, now).bind(2, limit);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

bool FallbackOriginRepository::record_check(const FallbackOrigin& seen, const FallbackOrigin& checked) {
    auto lock = db_.lock();
    Statement s(db_,
                "UPDATE fallback_origins SET status = ?, errors = ?, attempts = ?, next_check_at = ?, updated_at = ? "
                "WHERE zone_id = ? AND origin = ? AND status = ? AND updated_at = ? AND attempts = ?");
    s.bind(1, checked.status)
        .bind(2, checked.errors)
        .bind(3, checked.attempts)
        .bind(4, checked.next_check_at)
        .bind(5, checked.updated_at)
        .bind(6, seen.zone_id)
        .bind(7, seen.origin)
        .bind(8, seen.status)
        .bind(9, seen.updated_at)
        .bind(10, seen.attempts);
    s.run();
    return db_.changes() > 0;
}

}  // namespace storage
