// The outbox's promise: an event is stored in the transaction of the hostname write that fires
// it (a write that does not happen stores none), it reaches one delivery per webhook an enabled
// policy of its account names, and a delivery's attempts move it to delivered, retry or failed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/alerting_repository.hpp"
#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"
#include "storage/notification_outbox.hpp"

using namespace storage;

namespace {

const std::string outbox_zone = "023e105f4ecef8ad9ca31a8372d0c353";
const std::string outbox_account = "0123456789abcdef0123456789abcdef";

CustomHostname hostname(const std::string& id) {
    CustomHostname h;
    h.id = id;
    h.zone_id = outbox_zone;
    h.hostname = id + ".acme.io";
    h.status = "pending";
    h.created_at = "2026-01-01T00:00:00.000000Z";
    h.ownership_token = "token-" + id;
    return h;
}

void subscribe(AlertingRepository& alerting, const std::string& webhook, bool enabled = true) {
    alerting.insert(AlertDestination{webhook, outbox_account, "hooks", "http://127.0.0.1:9/" + webhook, "s3cret", "generic",
                                     "2026-01-01T00:00:00Z", std::nullopt, std::nullopt});
    AlertPolicy policy;
    policy.id = "policy-" + webhook;
    policy.account_id = outbox_account;
    policy.name = "certs";
    policy.alert_type = "custom_ssl_certificate_event_type";
    policy.enabled = enabled;
    policy.mechanisms = R"({"webhooks":[{"id":")" + webhook + R"("},{"id":"gone"}]})";
    policy.created = policy.modified = "2026-01-01T00:00:00.000000Z";
    alerting.insert(policy);
}

// An event of the account and zone above, due at `due_ms`.
OutboxEvent outbox_event(const std::string& id, std::int64_t due_ms) {
    return {id, outbox_account, outbox_zone, "t", "2026-01-01T00:00:00.000000Z", "{}", "custom_ssl_certificate_event_type", due_ms};
}

// A database in memory with one enabled webhook subscribed to the account's events.
struct OutboxWithOneWebhook {
    Database db{":memory:"};
    AlertingRepository alerting{db};
    NotificationOutbox outbox{db};
    OutboxWithOneWebhook() { subscribe(alerting, "w1"); }
};

}  // namespace

TEST_CASE("events are stored with the write that fires them, one delivery per subscribed webhook") {
    Database db(":memory:");
    HostnameRepository hostnames(db);
    AlertingRepository alerting(db);
    NotificationOutbox outbox(db);
    subscribe(alerting, "w1");
    subscribe(alerting, "w2", false);  // a disabled policy receives nothing
    int event = 0;
    hostnames.observe([&](const CustomHostname* before, const CustomHostname* after) {
        std::string kind = !before ? "created" : !after ? "deleted" : "updated";
        return std::vector<OutboxEvent>{{"event-" + std::to_string(++event), outbox_account, outbox_zone, kind,
                                         "2026-01-01T00:00:00.000000Z", "{}", "custom_ssl_certificate_event_type", 0}};
    });
    REQUIRE(hostnames.insert(hostname("h1")) == WriteResult::ok);
    // A duplicate hostname is refused: its write and its event both roll back.
    auto twin = hostname("h2");
    twin.hostname = "h1.acme.io";
    CHECK(hostnames.insert(twin) == WriteResult::duplicate_hostname);
    CHECK(hostnames.update(hostname("nowhere")) == WriteResult::not_found);
    REQUIRE(hostnames.update(hostname("h1")) == WriteResult::ok);
    REQUIRE(hostnames.remove(outbox_zone, "h1"));

    auto listed = outbox.list(10, std::nullopt, std::nullopt);
    REQUIRE(listed.size() == 3);
    CHECK(listed[2].event.type == "created");
    CHECK(listed[1].event.type == "updated");
    CHECK(listed[0].event.type == "deleted");
    for (const auto& d : listed) {
        CHECK(d.destination_id == "w1");
        CHECK(d.secret == "s3cret");
        CHECK(d.state == "pending");
    }
    // An account without a policy keeps nothing.
    hostnames.observe([&](const CustomHostname*, const CustomHostname*) {
        return std::vector<OutboxEvent>{{"lonely", "ffffffffffffffffffffffffffffffff", outbox_zone, "created",
                                         "2026-01-01T00:00:00.000000Z", "{}", "custom_ssl_certificate_event_type", 0}};
    });
    REQUIRE(hostnames.insert(hostname("h3")) == WriteResult::ok);
    CHECK(outbox.list(10, std::nullopt, std::nullopt).size() == 3);
}

TEST_CASE_FIXTURE(OutboxWithOneWebhook, "attempts move a delivery: retried later, delivered, or failed") {
    outbox.append({outbox_event("e1", 100), outbox_event("e2", 500)});
    CHECK(outbox.due(99, 10).empty());
    auto due = outbox.due(100, 10);
    REQUIRE(due.size() == 1);
    CHECK(outbox.next_due_ms() == 100);
    outbox.record(due[0].id, {1, "t1", 500, "oops", ""}, "pending", 1000, std::nullopt);
    CHECK(outbox.due(999, 10).size() == 1);  // only e2 (due at 500)
    outbox.record(due[0].id, {2, "t2", 200, "ok", ""}, "delivered", 0, "t2");
    // A late answer (a duplicate's second) changes nothing once delivered.
    outbox.record(due[0].id, {3, "t3", 500, "late", ""}, "pending", 5000, std::nullopt);
    auto e2 = outbox.due(1000, 10);
    REQUIRE(e2.size() == 1);
    outbox.record(e2[0].id, {1, "t1", 0, "", "refused"}, "failed", 0, "t1");
    auto counts = outbox.counts();
    CHECK(counts.delivered == 1);
    CHECK(counts.failed == 1);
    CHECK(counts.pending == 0);
    CHECK(counts.retried == 1);
    auto listed = outbox.list(10, std::nullopt, std::nullopt);
    REQUIRE(listed[1].history.size() == 2);
    CHECK(listed[1].history[0].status == 500);
    CHECK(listed[1].history[1].response == "ok");
    CHECK(listed[1].event.id == "e1");
}

TEST_CASE_FIXTURE(OutboxWithOneWebhook, "a batch of leases and a batch of answers: each as one at a time, the destinations stamped") {
    outbox.append({outbox_event("e1", 100), outbox_event("e2", 100)});
    auto due = outbox.due(100, 10);
    REQUIRE(due.size() == 2);
    outbox.postpone_all({{due[0].id, 7000}, {due[1].id, 8000}});
    CHECK(outbox.due(6999, 10).empty());
    CHECK(outbox.next_due_ms() == 7000);
    outbox.record_all({{due[0].id, {1, "t1", 200, "ok", ""}, "delivered", 0, "t1", "w1", true},
                       // A duplicate's second answer: the delivery is done, nothing more is stored.
                       {due[0].id, {2, "t2", 200, "ok", ""}, "delivered", 0, "t2", "w1", true},
                       {due[1].id, {1, "t3", 0, "", "refused"}, "pending", 9000, std::nullopt, "w1", false}});
    auto counts = outbox.counts();
    CHECK(counts.delivered == 1);
    CHECK(counts.pending == 1);
    CHECK(outbox.next_due_ms() == 9000);
    auto listed = outbox.list(10, std::nullopt, std::nullopt);
    REQUIRE(listed.size() == 2);
    CHECK(listed[1].history.size() == 1);
    CHECK(listed[0].history.size() == 1);
    CHECK(listed[0].history[0].error == "refused");
    auto hook = alerting.find_destination(outbox_account, "w1");
    REQUIRE(hook);
    CHECK(hook->last_success == "t2");  // stamped by each answer, in order
    CHECK(hook->last_failure == "t3");
}
