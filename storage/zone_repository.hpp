#pragma once
// Zones that exist: made by POST /zones, --zone or a seed. Few per emulator (a test's handful),
// so lists count and page with COUNT and OFFSET rather than the ordered-list bookkeeping the
// large collections use.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/page.hpp"
#include "storage/statement_cache.hpp"

namespace storage {

struct Zone {
    std::string id, name, account_id;
    std::string type = "full";
    std::string created_on, modified_on;  // RFC 3339, fixed width
    std::string activated_on;             // when it is (or becomes) active; pending before
};

struct ZoneFilter {
    std::optional<std::string> name, account_id;
    std::optional<std::string> name_like;  // a LIKE pattern; a backslash escapes % and _
    // Compared with activated_on at `now`: active zones (true), pending ones (false).
    std::optional<bool> active;
    std::string now;
    bool descending = false;
};

using ZonePage = Page<Zone>;

class ZoneRepository {
public:
    explicit ZoneRepository(Database& db) : db_(db), statements_(db) {}

    // False when the name or the id is taken.
    bool insert(const Zone& zone);
    std::optional<Zone> find(const std::string& id);
    std::optional<Zone> find_by_name(const std::string& name);
    // The account of a zone that exists, for a caller already holding the lock: an observer of
    // another repository's write (the notification events of a hostname's change).
    std::optional<std::string> account_while_locked(const std::string& zone_id);
    // Ordered by name.
    ZonePage list(const ZoneFilter& filter, std::int64_t page, std::int64_t per_page);
    bool remove(const std::string& id);
    // Every zone (for Origin CA's hostname check), ordered by name.
    std::vector<Zone> all();

private:
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
