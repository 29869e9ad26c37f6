#include "storage/notification_outbox.hpp"

#include "storage/database.hpp"

namespace storage {
namespace {

// The delivery joined with its event, in this order (read_delivery).
const std::string delivery_select =
    "SELECT d.id, e.id, e.account_id, e.zone_id, e.type, e.created_at, e.payload, d.alert_type, d.policy_id, "
    "d.policy_name, d.destination_id, d.url, d.secret, d.state, d.attempts, d.next_attempt_ms, d.last_status, "
    "d.finished_at FROM notification_deliveries d JOIN notification_events e ON e.seq = d.event_seq";

Delivery read_delivery(const Statement& s) {
    Delivery d;
    d.id = s.integer(0);
    d.event = OutboxEvent{s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), 0};
    d.policy_id = s.text(8);
    d.policy_name = s.text(9);
    d.destination_id = s.text(10);
    d.url = s.text(11);
    d.secret = s.optional_text(12);
    d.state = s.text(13);
    d.attempts = s.integer(14);
    d.next_attempt_ms = s.integer(15);
    if (!s.is_null(16)) d.last_status = s.integer(16);
    d.finished_at = s.optional_text(17);
    return d;
}

}  // namespace

void NotificationOutbox::append_unlocked(StatementCache& statements, const std::vector<OutboxEvent>& events) {
    for (const auto& e : events) {
        std::int64_t seq = 0;
        {
            auto s = statements.use(
                "INSERT INTO notification_events (id, account_id, zone_id, type, created_at, payload) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING seq");
            s->bind(1, e.id).bind(2, e.account_id).bind(3, e.zone_id).bind(4, e.type).bind(5, e.created_at).bind(6, e.payload);
            s->step();
            seq = s->integer(0);
        }
        // One delivery per webhook an enabled policy of the account names (a webhook named
        // twice by one policy counts once).
        auto s = statements.use(
            "INSERT INTO notification_deliveries (event_seq, policy_id, policy_name, alert_type, destination_id, url, "
            "secret, state, attempts, next_attempt_ms) "
            "SELECT DISTINCT ?1, p.id, p.name, p.alert_type, d.id, d.url, d.secret, 'pending', 0, ?2 "
            "FROM alert_policies p, json_each(CASE WHEN json_valid(p.mechanisms) THEN p.mechanisms ELSE '{}' END, '$.webhooks') w "
            "JOIN alert_destinations d ON d.id = json_extract(w.value, '$.id') AND d.account_id = p.account_id "
            "WHERE p.account_id = ?3 AND p.alert_type = ?4 AND p.enabled = 1 "
            "ORDER BY p.created, p.id, d.id");
        s->bind(1, seq).bind(2, e.deliver_at_ms).bind(3, e.account_id).bind(4, e.alert_type);
        s->run();
        // No policy wants it: not kept, so an emulator nobody subscribed to stores no events.
        if (s->database().changes() == 0) {
            auto drop = statements.use("DELETE FROM notification_events WHERE seq = ?1");
            drop->bind(1, seq);
            drop->run();
        }
    }
}

void NotificationOutbox::append(const std::vector<OutboxEvent>& events) {
    auto lock = db_.lock();
    Transaction tx(db_);
    append_unlocked(statements_, events);
    tx.commit();
}

std::vector<Delivery> NotificationOutbox::due(std::int64_t now_ms, std::int64_t limit) {
    auto lock = db_.lock();
    auto s = statements_.use(delivery_select +
                             " WHERE d.state = 'pending' AND d.next_attempt_ms <= ?1 ORDER BY d.next_attempt_ms, d.id "
                             "LIMIT ?2");
    s->bind(1, now_ms).bind(2, limit);
    std::vector<Delivery> out;
    while (s->step()) out.push_back(read_delivery(*s));
    return out;
}

std::optional<std::int64_t> NotificationOutbox::next_due_ms() {
    auto lock = db_.lock();
    auto s = statements_.use("SELECT min(next_attempt_ms) FROM notification_deliveries WHERE state = 'pending'");
    if (!s->step() || s->is_null(0)) return std::nullopt;
    return s->integer(0);
}

void NotificationOutbox::record_unlocked(std::int64_t delivery_id, const DeliveryAttempt& a, const std::string& state,
                                         std::int64_t next_attempt_ms, const std::optional<std::string>& finished_at) {
    {
        auto s = statements_.use(
            "UPDATE notification_deliveries SET attempts = attempts + 1, state = ?1, next_attempt_ms = ?2, "
            "last_status = ?3, finished_at = ?4 WHERE id = ?5 AND state = 'pending'");
        s->bind(1, state).bind(2, next_attempt_ms).bind(3, a.status).bind(4, finished_at).bind(5, delivery_id);
        s->run();
    }
    // Gone (a reset) or finished meanwhile (a duplicate's second answer): nothing more to record.
    if (db_.changes() == 0) return;
    auto s = statements_.use(
        "INSERT INTO notification_attempts (delivery_id, attempt, at, status, response, error) "
        "SELECT ?1, attempts, ?2, ?3, ?4, ?5 FROM notification_deliveries WHERE id = ?1");
    s->bind(1, delivery_id).bind(2, a.at).bind(3, a.status).bind(4, a.response).bind(5, a.error);
    s->run();
}

void NotificationOutbox::record(std::int64_t delivery_id, const DeliveryAttempt& a, const std::string& state,
                                std::int64_t next_attempt_ms, const std::optional<std::string>& finished_at) {
    auto lock = db_.lock();
    Transaction tx(db_);
    record_unlocked(delivery_id, a, state, next_attempt_ms, finished_at);
    tx.commit();
}

void NotificationOutbox::record_all(const std::vector<RecordedAnswer>& answers) {
    if (answers.empty()) return;
    auto lock = db_.lock();
    Transaction tx(db_);
    for (const auto& r : answers) {
        record_unlocked(r.delivery_id, r.attempt, r.state, r.next_attempt_ms, r.finished_at);
        auto s = statements_.use(r.destination_ok ? "UPDATE alert_destinations SET last_success = ?1 WHERE id = ?2"
                                                  : "UPDATE alert_destinations SET last_failure = ?1 WHERE id = ?2");
        s->bind(1, r.attempt.at).bind(2, r.destination_id);
        s->run();
    }
    tx.commit();
}

void NotificationOutbox::finish(std::int64_t delivery_id, const std::string& state, const std::string& finished_at) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "UPDATE notification_deliveries SET state = ?1, finished_at = ?2 WHERE id = ?3 AND state = 'pending'");
    s->bind(1, state).bind(2, finished_at).bind(3, delivery_id);
    s->run();
}

void NotificationOutbox::postpone(std::int64_t delivery_id, std::int64_t next_attempt_ms) {
    auto lock = db_.lock();
    auto s = statements_.use(
        "UPDATE notification_deliveries SET next_attempt_ms = ?1 WHERE id = ?2 AND state = 'pending'");
    s->bind(1, next_attempt_ms).bind(2, delivery_id);
    s->run();
}

void NotificationOutbox::postpone_all(const std::vector<std::pair<std::int64_t, std::int64_t>>& delivery_and_ms) {
    if (delivery_and_ms.empty()) return;
    auto lock = db_.lock();
    Transaction tx(db_);
    for (const auto& [delivery_id, next_attempt_ms] : delivery_and_ms) {
        auto s = statements_.use(
            "UPDATE notification_deliveries SET next_attempt_ms = ?1 WHERE id = ?2 AND state = 'pending'");
        s->bind(1, next_attempt_ms).bind(2, delivery_id);
        s->run();
    }
    tx.commit();
}

std::vector<Delivery> NotificationOutbox::list(std::int64_t limit, const std::optional<std::string>& type,
                                               const std::optional<std::string>& destination_id) {
    auto lock = db_.lock();
    std::vector<Delivery> out;
    {
        auto s = statements_.use(delivery_select +
                                 " WHERE (?1 IS NULL OR e.type = ?1) AND (?2 IS NULL OR d.destination_id = ?2) "
                                 "ORDER BY d.id DESC LIMIT ?3");
        s->bind(1, type).bind(2, destination_id).bind(3, limit);
        while (s->step()) out.push_back(read_delivery(*s));
    }
    for (auto& d : out) {
        auto s = statements_.use(
            "SELECT attempt, at, status, response, error FROM notification_attempts WHERE delivery_id = ?1 "
            "ORDER BY attempt");
        s->bind(1, d.id);
        while (s->step())
            d.history.push_back(DeliveryAttempt{s->integer(0), s->text(1), s->integer(2), s->text(3), s->text(4)});
    }
    return out;
}

OutboxCounts NotificationOutbox::counts() {
    auto lock = db_.lock();
    auto s = statements_.use("SELECT state, count(*), coalesce(sum(max(attempts - 1, 0)), 0) FROM notification_deliveries GROUP BY state");
    OutboxCounts c;
    while (s->step()) {
        auto state = s->text(0);
        auto n = s->integer(1);
        c.retried += s->integer(2);
        if (state == "pending") c.pending = n;
        else if (state == "delivered") c.delivered = n;
        else if (state == "failed") c.failed = n;
        else if (state == "dropped") c.dropped = n;
    }
    return c;
}

}  // namespace storage
