#pragma once
// A zone's fallback origin for custom hostnames: at most one per zone.
#include <optional>
#include <string>

namespace storage {

class Database;

struct FallbackOrigin {
    std::string zone_id, origin, status;
    std::string errors = "[]";  // JSON array of strings, opaque here
    std::string created_at;     // RFC 3339, fixed width
    std::string updated_at;     // the last PUT or status change
};

class FallbackOriginRepository {
public:
    explicit FallbackOriginRepository(Database& db) : db_(db) {}

    // Inserts, or replaces the zone's origin keeping its created_at. Returns the stored row.
    FallbackOrigin put(const FallbackOrigin& origin);
    std::optional<FallbackOrigin> find(const std::string& zone_id);
    // Changes the status only if it is still `expected` (a concurrent PUT or DELETE wins).
    // Returns whether it changed.
    bool set_status(const std::string& zone_id, const std::string& expected, const std::string& status,
                    const std::string& errors, const std::string& updated_at);
    // Removes the row only if its status is still `expected`; returns whether it did.
    bool remove_if(const std::string& zone_id, const std::string& expected);

private:
    std::optional<FallbackOrigin> find_unlocked(const std::string& zone_id);
    Database& db_;
};

}  // namespace storage
