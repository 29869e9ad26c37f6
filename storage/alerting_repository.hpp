#pragma once
// An account's webhook destinations and notification policies (Cloudflare's alerting v3).
#include <optional>
#include <string>
#include <vector>

#include "storage/statement_cache.hpp"

namespace storage {

struct AlertDestination {
    std::string id, account_id, name, url;
    std::optional<std::string> secret;  // sent as cf-webhook-auth, never shown
    std::string type, created_at;
    std::optional<std::string> last_success, last_failure;
};

struct AlertPolicy {
    std::string id, account_id, name, description, alert_type;
    bool enabled = true;
    std::string mechanisms = "{}", filters = "{}";  // JSON objects, opaque here
    std::optional<std::string> alert_interval;
    std::string created, modified;
};

class AlertingRepository {
public:
    explicit AlertingRepository(Database& db) : db_(db), statements_(db) {}

    void insert(const AlertDestination& destination);
    // name, url and secret of (account_id, id); false when there is none.
    bool update(const AlertDestination& destination);
    std::optional<AlertDestination> find_destination(const std::string& account_id, const std::string& id);
    std::vector<AlertDestination> destinations(const std::string& account_id);
    bool remove_destination(const std::string& account_id, const std::string& id);
    // What the last delivery to it did (wall-clock RFC 3339).
    void mark_destination(const std::string& id, bool success, const std::string& at);

    void insert(const AlertPolicy& policy);
    bool update(const AlertPolicy& policy);  // everything but created
    std::optional<AlertPolicy> find_policy(const std::string& account_id, const std::string& id);
    std::vector<AlertPolicy> policies(const std::string& account_id);
    bool remove_policy(const std::string& account_id, const std::string& id);

private:
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
