#pragma once
// A zone's fallback origin for custom hostnames: at most one per zone. One repository lives in
// api::Context for the process, so its prepared statements are made once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/statement_cache.hpp"

namespace storage {

struct FallbackOrigin {
    std::string zone_id, origin, status;
    std::string errors = "[]";  // JSON array of strings, opaque here
    std::string created_at;     // RFC 3339, fixed width
    std::string updated_at;     // the last PUT or status change
    // dns mode: failed resolution checks so far, and when the next is due (none: not checked).
    std::int64_t attempts = 0;
    std::optional<std::string> next_check_at = std::nullopt;
};

class FallbackOriginRepository {
public:
    explicit FallbackOriginRepository(Database& db) : db_(db), statements_(db) {}

    // Inserts, or replaces the zone's origin keeping its created_at. Returns the stored row.
    FallbackOrigin put(const FallbackOrigin& origin);
    std::optional<FallbackOrigin> find(const std::string& zone_id);
    // Changes the status only if it is still `expected` (a concurrent PUT or DELETE wins).
    // Returns whether it changed.
    bool set_status(const std::string& zone_id, const std::string& expected, const std::string& status,
                    const std::string& errors, const std::string& updated_at);
    // Removes the row only if its status is still `expected`; returns whether it did.
    bool remove_if(const std::string& zone_id, const std::string& expected);

    // Zones whose origin has been pending_deletion (with `deployments`, or pending_deployment)
    // since `changed_by` (RFC 3339, fixed width) or earlier, at most `limit`, oldest first.
    std::vector<std::string> pending_since(const std::string& changed_by, bool deployments, std::int64_t limit);

    // dns mode: zones whose origin is pending_deployment with a check due at `now` (RFC 3339,
    // fixed width), or none scheduled (set in another mode), at most `limit`, soonest first.
    std::vector<std::string> due_for_check(const std::string& now, std::int64_t limit);
    // Stores a check's outcome (status, errors, attempts, next check, updated_at of `checked`)
    // only if the row is still as `seen` was when the check started (same origin, status,
    // updated_at and attempts): a PUT or DELETE meanwhile wins. Returns whether it stored.
    bool record_check(const FallbackOrigin& seen, const FallbackOrigin& checked);

private:
    std::optional<FallbackOrigin> find_unlocked(const std::string& zone_id);
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
