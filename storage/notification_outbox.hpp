#pragma once
// The notification outbox: certificate events and their deliveries to webhooks. An event is
// appended inside the transaction of the status change that fires it (HostnameRepository), so a
// change is never stored without its event nor an event without its change; the delivery worker
// then drains due deliveries, recording every attempt, until each is delivered or given up.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/statement_cache.hpp"

namespace storage {

struct OutboxEvent {
    std::string id, account_id, zone_id, type, created_at;
    std::string payload;     // the event's JSON, opaque here
    std::string alert_type;  // policies of this alert type (enabled, of the account) receive it
    std::int64_t deliver_at_ms = 0;  // wall clock: the first attempt's time
};

struct DeliveryAttempt {
    std::int64_t attempt = 0;
    std::string at;           // wall clock, RFC 3339
    std::int64_t status = 0;  // the receiver's HTTP status; 0: no answer
    std::string response, error;
};

// One answer's outcome as record() takes it, and the destination it went to (its last success
// or failure is stamped with the attempt's time).
struct RecordedAnswer {
    std::int64_t delivery_id = 0;
    DeliveryAttempt attempt;
    std::string state;
    std::int64_t next_attempt_ms = 0;
    std::optional<std::string> finished_at;
    std::string destination_id;
    bool destination_ok = false;
};

struct Delivery {
    std::int64_t id = 0;
    OutboxEvent event;
    std::string policy_id, policy_name, destination_id, url;
    std::optional<std::string> secret;
    std::string state;  // pending, delivered, failed, dropped
    std::int64_t attempts = 0, next_attempt_ms = 0;
    std::optional<std::int64_t> last_status;
    std::optional<std::string> finished_at;
    std::vector<DeliveryAttempt> history;  // list() only
};

struct OutboxCounts {
    std::int64_t pending = 0, delivered = 0, failed = 0, dropped = 0;
    std::int64_t retried = 0;  // attempts after each delivery's first
};

class NotificationOutbox {
public:
    explicit NotificationOutbox(Database& db) : db_(db), statements_(db) {}

    // Inside the caller's transaction, with the database lock held: stores each event and one
    // pending delivery per webhook named by an enabled policy of its account and alert type (an
    // event no policy wants is not kept).
    static void append_unlocked(StatementCache& statements, const std::vector<OutboxEvent>& events);
    // The same in a transaction of its own (an event fired on demand).
    void append(const std::vector<OutboxEvent>& events);

    // Pending deliveries due at `now_ms`, oldest event first, at most `limit`.
    std::vector<Delivery> due(std::int64_t now_ms, std::int64_t limit);
    // The earliest next attempt of a pending delivery.
    std::optional<std::int64_t> next_due_ms();
    // One attempt's outcome: the attempt row, the count, the new state and next attempt time.
    void record(std::int64_t delivery_id, const DeliveryAttempt& attempt, const std::string& state,
                std::int64_t next_attempt_ms, const std::optional<std::string>& finished_at);
    // Many answers in one transaction: each as record() and its destination's last success or
    // failure (alert_destinations). One commit for a batch, not three writes per answer: the
    // WAL writes and file locks of those were most of the delivery path's time at 2,000/s.
    void record_all(const std::vector<RecordedAnswer>& answers);
    // A delivery given up without an attempt (a fault rule's drop).
    void finish(std::int64_t delivery_id, const std::string& state, const std::string& finished_at);
    // Postpones a pending delivery (a fault rule's delay).
    void postpone(std::int64_t delivery_id, std::int64_t next_attempt_ms);
    // Many postpones in one transaction (the worker leases a whole batch it takes at once).
    void postpone_all(const std::vector<std::pair<std::int64_t, std::int64_t>>& delivery_and_ms);

    // The newest deliveries first with their attempts, at most `limit`; filtered by event type
    // and destination when given.
    std::vector<Delivery> list(std::int64_t limit, const std::optional<std::string>& type,
                               const std::optional<std::string>& destination_id);
    OutboxCounts counts();

private:
    // record()'s statements, inside a transaction with the lock held.
    void record_unlocked(std::int64_t delivery_id, const DeliveryAttempt& attempt, const std::string& state,
                         std::int64_t next_attempt_ms, const std::optional<std::string>& finished_at);
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
