// Certificate notifications to a real webhook receiver: a destination is tested before it is
// stored, a policy sends the SaaS alert to it, and each status move of a custom hostname's
// certificate arrives as Cloudflare's payload, with the secret in cf-webhook-auth; a failing
// receiver gets the same event again until it accepts it.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <set>
#include <string>

#include "support/alert_policies.hpp"
#include "support/api_client.hpp"
#include "support/dnsmasq.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_receiver.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string notify_zone = "023e105f4ecef8ad9ca31a8372d0c353";
const std::string notify_account = "023e105f4ecef8ad9ca31a8372d0c353";  // the emulator's default account
const std::string notify_alerting = "/client/v4/accounts/" + notify_account + "/alerting/v3";
const std::string notify_hostnames = "/client/v4/zones/" + notify_zone + "/custom_hostnames";
const std::string notify_manual = "/_emulator/zones/" + notify_zone + "/custom_hostnames/";
const std::string secret = "s3cret-for-the-receiver";

// A destination for the receiver and a policy sending the SaaS alert to it; returns the policy id.
std::string subscribe(ApiClient& api, const WebhookReceiver& receiver) {
    return subscribe_webhook(api, receiver.url(), "SaaS certificates", "custom_ssl_certificate_event_type", secret);
}

// An emulator started with `args` whose certificate events reach `receiver`: a destination and
// a policy made before the test's first step.
struct Subscribed {
    WebhookReceiver receiver;
    ServerProcess server;
    ApiClient api{server};
    std::string policy;
    explicit Subscribed(std::vector<std::string> args) : server(std::move(args)), policy(subscribe(api, receiver)) {}
};

// The events the receiver got after the destination's test message, in order of arrival.
std::vector<json> notify_events_of(const WebhookReceiver& receiver) {
    std::vector<json> out;
    for (const auto& got : receiver.received()) {
        auto body = json::parse(got.body);
        if (body.contains("data")) out.push_back(body);
    }
    return out;
}

std::vector<std::string> types_of(const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e["data"]["metadata"]["event"]["type"]);
    return out;
}

std::string type(const std::string& name) { return "ssl.custom_hostname_certificate." + name; }

json create_dv_with_metadata(ApiClient& api, const std::string& name) {
    auto created = api.post(notify_hostnames, {{"hostname", name},
                                        {"ssl", {{"method", "txt"}, {"type", "dv"}, {"settings", {{"min_tls_version", "1.2"}}}}},
                                        {"custom_metadata", {{"customer", "acme"}}}});
    REQUIRE(created.status == 201);
    return created.json()["result"];
}

json deliveries(ApiClient& api, const std::string& query = "") {
    auto got = api.get("/_emulator/notifications/deliveries" + query);
    REQUIRE(got.status == 200);
    return got.json()["result"];
}

}  // namespace

TEST_CASE("auto mode: a DV hostname's certificate events reach the webhook as Cloudflare's payload") {
    Subscribed subscribed({"--validation", "auto", "--validation-step", "50"});
    auto& receiver = subscribed.receiver;
    auto& api = subscribed.api;
    const std::string& policy = subscribed.policy;
    // The destination's test message came first, with the secret.
    REQUIRE(receiver.received().size() == 1);
    CHECK(json::parse(receiver.received()[0].body)["text"].get<std::string>().starts_with("Hello World!"));
    CHECK(receiver.received()[0].headers["cf-webhook-auth"] == secret);

    json hostname = create_dv_with_metadata(api, "notify.acme.io");
    REQUIRE_EVENTUALLY(notify_events_of(receiver).size() >= 3);
    auto events = notify_events_of(receiver);
    CHECK(types_of(events) == std::vector<std::string>{type("validation.succeeded"), type("issuance.succeeded"),
                                                      type("deployment.succeeded")});
    const std::vector<std::string> statuses = {"pending_issuance", "pending_deployment", "active"};
    std::set<std::string> ids;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const json& e = events[i];
        // The generic envelope.
        CHECK(e["name"] == "SaaS certificates");
        CHECK(e["policy_name"] == "SaaS certificates");
        CHECK(e["policy_id"] == policy);
        CHECK(e["account_id"] == notify_account);
        CHECK(e["alert_type"] == "custom_ssl_certificate_event_type");
        CHECK(e["alert_event"] == "ALERT_STATE_EVENT_START");
        CHECK(e["ts"].is_number_integer());
        CHECK(e["text"].is_string());
        // The SaaS payload: a handler reads data.data.hostname.
        const json& meta = e["data"]["metadata"];
        CHECK(meta["account"]["id"] == notify_account);
        CHECK(meta["zone"]["id"] == notify_zone);
        CHECK(meta["event"]["created_at"].get<std::string>().size() == std::string("2026-01-01T00:00:00.000000Z").size());
        CHECK(e["alert_correlation_id"] == meta["event"]["id"]);
        ids.insert(meta["event"]["id"].get<std::string>());
        const json& data = e["data"]["data"];
        CHECK(data["id"] == hostname["id"]);
        CHECK(data["hostname"] == "notify.acme.io");
        CHECK(data["ssl"]["id"] == hostname["ssl"]["id"]);
        CHECK(data["ssl"]["type"] == "dv");
        CHECK(data["ssl"]["method"] == "txt");
        CHECK(data["ssl"]["status"] == statuses[i]);
        CHECK(data["ssl"]["settings"] == json{{"min_tls_version", "1.2"}});
        CHECK(data["custom_metadata"] == json{{"customer", "acme"}});
        CHECK(data["custom_origin_server"].is_null());
    }
    CHECK(ids.size() == 3);
    for (auto got : receiver.received()) {
        CHECK(got.headers["cf-webhook-auth"] == secret);
        CHECK(got.headers["content-type"] == "application/json");
    }
    // The control plane lists each delivery with its attempt; the destination shows its success.
    REQUIRE_EVENTUALLY(deliveries(api)["counts"]["delivered"] == 3);
    json listed = deliveries(api, "?type=" + type("deployment.succeeded"));
    REQUIRE(listed["deliveries"].size() == 1);
    CHECK(listed["deliveries"][0]["state"] == "delivered");
    CHECK(listed["deliveries"][0]["attempts"][0]["status"] == 200);
    auto destinations = api.get(notify_alerting + "/destinations/webhooks");
    REQUIRE(destinations.status == 200);
    CHECK(destinations.json()["result"][0].contains("last_success"));
    CHECK_FALSE(destinations.json()["result"][0].contains("secret"));

    // Deleting the hostname deletes its certificate: deletion.succeeded, detached (no id, no hostname).
    REQUIRE(api.del(notify_hostnames + "/" + hostname["id"].get<std::string>()).status == 200);
    REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 4);
    json deleted = notify_events_of(receiver)[3]["data"];
    CHECK(deleted["metadata"]["event"]["type"] == type("deletion.succeeded"));
    CHECK_FALSE(deleted["data"].contains("id"));
    CHECK_FALSE(deleted["data"].contains("hostname"));
    CHECK(deleted["data"]["ssl"]["status"] == "deleted");
}

TEST_CASE("a receiver failing three times gets the event a fourth time, with the same id, and it counts once") {
    Subscribed subscribed({"--validation", "manual", "--notification-retry-ms", "20"});
    auto& receiver = subscribed.receiver;
    auto& api = subscribed.api;
    json hostname = create_dv_with_metadata(api, "retry.acme.io");
    receiver.script({500, 503, 502});
    auto fired = api.post(notify_manual + hostname["id"].get<std::string>() + "/notify", {{"event", "issuance.failed"}});
    REQUIRE(fired.status == 200);
    REQUIRE_EVENTUALLY(deliveries(api)["counts"]["delivered"] == 1);
    auto events = notify_events_of(receiver);
    REQUIRE(events.size() == 4);
    for (const auto& e : events) CHECK(e["data"]["metadata"]["event"]["id"] == fired.json()["result"]["id"]);
    json listed = deliveries(api);
    CHECK(listed["counts"] == json{{"pending", 0}, {"delivered", 1}, {"failed", 0}, {"dropped", 0}, {"retried", 3}});
    json attempts = listed["deliveries"][0]["attempts"];
    REQUIRE(attempts.size() == 4);
    CHECK(attempts[0]["status"] == 500);
    CHECK(attempts[2]["status"] == 502);
    CHECK(attempts[3]["status"] == 200);
    // Every attempt is in the request journal (written just after the attempt is stored).
    auto journaled = [&] {
        auto journal = api.get("/_emulator/journal?method=POST");
        const json entries = journal.json()["result"];
        return std::count_if(entries.begin(), entries.end(),
                             [&](const json& entry) { return entry["path"] == receiver.url(); });
    };
    REQUIRE_EVENTUALLY(journaled() == 4);
    // And in the metrics.
    auto metrics = api.get("/_emulator/metrics");
    CHECK(metrics.body.find("csr_emulator_notification_deliveries{state=\"retried\"} 3") != std::string::npos);
}

TEST_CASE("a destination whose test message fails is refused, and nothing is stored") {
    WebhookReceiver receiver({400});
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    auto refused = api.post(notify_alerting + "/destinations/webhooks", {{"name", "broken"}, {"url", receiver.url()}});
    check_failure(refused, 400, 17001);
    CHECK(error_message(refused) == "Webhook test failed with status code 400 Bad Request");
    CHECK(api.get(notify_alerting + "/destinations/webhooks").json()["result"].empty());
    // Nobody listening: refused too.
    auto nobody = api.post(notify_alerting + "/destinations/webhooks", {{"name", "gone"}, {"url", "http://127.0.0.1:1/hook"}});
    check_failure(nobody, 400, 17001);
    // A policy naming a webhook the account does not have is refused.
    auto policy = api.post(notify_alerting + "/policies", {{"name", "p"},
                                                    {"alert_type", "custom_ssl_certificate_event_type"},
                                                    {"enabled", true},
                                                    {"mechanisms", {{"webhooks", {{{"id", "f174e90a-fafe-4643-bbbc-4a0ed4fc8415"}}}}}}});
    check_failure(policy, 400, 17000);
    check_failure(api.post(notify_alerting + "/policies", {{"name", "p"}}), 400, 17000);
    check_failure(api.get(notify_alerting + "/policies/f174e90a-fafe-4643-bbbc-4a0ed4fc8415"), 404, 17003);
    check_failure(api.get(notify_alerting + "/destinations/webhooks/f174e90a-fafe-4643-bbbc-4a0ed4fc8415"), 404, 17002);
}

namespace {

std::string post_route(ApiClient& api, const json& hostname, const std::string& action, const json& body = json::object()) {
    auto answer = api.post(notify_manual + hostname["id"].get<std::string>() + "/" + action, body);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    return answer.json()["result"].value("id", "");
}

}  // namespace

TEST_CASE("manual mode: each step fires its event; a failed validation and a renewal fire theirs") {
    Subscribed subscribed({"--validation", "manual"});
    auto& receiver = subscribed.receiver;
    auto& api = subscribed.api;
    json hostname = create_dv_with_metadata(api, "steps.acme.io");
    post_route(api, hostname, "advance_certificate");  // initializing -> pending_validation: no event
    post_route(api, hostname, "verify_ownership");     // ownership has no event
    const std::vector<std::pair<std::string, std::string>> steps = {{"validation.succeeded", "pending_issuance"},
                                                                    {"issuance.succeeded", "pending_deployment"},
                                                                    {"deployment.succeeded", "active"}};
    for (std::size_t i = 0; i < steps.size(); ++i) {
        post_route(api, hostname, "advance_certificate");
        REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == i + 1);
        json event = notify_events_of(receiver)[i]["data"];
        CHECK(event["metadata"]["event"]["type"] == type(steps[i].first));
        CHECK(event["data"]["ssl"]["status"] == steps[i].second);
    }

    // A second hostname whose DCV fails for good.
    json failing = create_dv_with_metadata(api, "failing.acme.io");
    post_route(api, failing, "advance_certificate");
    post_route(api, failing, "fail_certificate", {{"message", "TXT record not found"}});
    REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 4);
    json failed = notify_events_of(receiver)[3]["data"]["data"];
    CHECK(notify_events_of(receiver)[3]["data"]["metadata"]["event"]["type"] == type("validation.failed"));
    CHECK(failed["hostname"] == "failing.acme.io");
    CHECK(failed["ssl"]["status"] == "validation_timed_out");
    CHECK(failed["ssl"]["validation_errors"] == json::array({{{"message", "TXT record not found"}}}));

    // 61 days on the clock: the first hostname's renewal starts (a new pair, deploying), announced
    // with the certificate it replaces; deploying it by hand fires deployment.succeeded.
    advance_clock(api, "61d");
    REQUIRE(api.get(notify_hostnames + "/" + hostname["id"].get<std::string>()).status == 200);
    REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 6);
    auto events = notify_events_of(receiver);
    CHECK(events[4]["data"]["metadata"]["event"]["type"] == type("renewal.upcoming_certificate_expiration_notification"));
    json upcoming = events[4]["data"]["data"]["ssl"];
    CHECK(upcoming["hosts"] == json::array({"steps.acme.io"}));
    CHECK(upcoming["serial_number"].is_string());
    CHECK(upcoming["expires_on"].is_string());
    CHECK_FALSE(upcoming.contains("type"));
    CHECK(events[5]["data"]["metadata"]["event"]["type"] == type("renewal.succeeded"));
    CHECK(events[5]["data"]["data"]["ssl"]["status"] == "pending_deployment");
    post_route(api, hostname, "advance_certificate");
    REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 7);
    CHECK(notify_events_of(receiver)[6]["data"]["metadata"]["event"]["type"] == type("deployment.succeeded"));
}

TEST_CASE("fault rules: a delivery dropped, duplicated, delayed or overtaken") {
    Subscribed subscribed({"--validation", "manual"});
    auto& receiver = subscribed.receiver;
    auto& api = subscribed.api;
    json hostname = create_dv_with_metadata(api, "faults.acme.io");
    auto fault = [&](const json& rule) { REQUIRE(api.post("/_emulator/notifications/faults", rule).status == 200); };
    auto notify = [&](const std::string& event) { return post_route(api, hostname, "notify", {{"event", event}}); };

    SUBCASE("drop: never sent, listed as dropped") {
        fault({{"action", "drop"}, {"event", "issuance.failed"}, {"times", 1}});
        notify("issuance.failed");
        std::string second = notify("issuance.failed");
        REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 1);
        CHECK(notify_events_of(receiver)[0]["data"]["metadata"]["event"]["id"] == second);
        REQUIRE_EVENTUALLY(deliveries(api)["counts"]["dropped"] == 1);
    }
    SUBCASE("duplicate: sent twice with the same event id") {
        fault({{"action", "duplicate"}});
        std::string id = notify("deployment.failed");
        REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 2);
        for (const auto& e : notify_events_of(receiver)) CHECK(e["data"]["metadata"]["event"]["id"] == id);
    }
    SUBCASE("reorder: held back until the destination's next event went") {
        fault({{"action", "reorder"}, {"event", "validation.failed"}, {"times", 1}, {"delay_ms", 20000}});
        notify("validation.failed");
        REQUIRE_EVENTUALLY(deliveries(api)["deliveries"].size() == 1);
        notify("deployment.failed");
        REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 2);
        CHECK(types_of(notify_events_of(receiver)) == std::vector<std::string>{type("deployment.failed"), type("validation.failed")});
    }
    SUBCASE("delay: the first attempt waits") {
        fault({{"action", "delay"}, {"delay_ms", 400}});
        auto started = std::chrono::steady_clock::now();
        notify("deletion.failed");
        REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 1);
        CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(400));
    }
    auto rules = api.get("/_emulator/notifications/faults");
    REQUIRE(rules.status == 200);
    REQUIRE(api.del("/_emulator/notifications/faults").status == 200);
    CHECK(api.get("/_emulator/notifications/faults").json()["result"].empty());
}

TEST_CASE("dns mode: checks against a real DNS server fire each failed retry and the way to active") {
    Dnsmasq dns({.cnames = {{"cname.acme.io", "fallback.saas.io"}},
                 .txts = {},
                 .addresses = {{"fallback.saas.io", "127.0.0.1"}, {"web.acme.io", "127.0.0.1"}},
                 .not_authoritative = {}});
    WebhookReceiver receiver;
    ServerProcess server({"--validation", "dns", "--dns-server", dns.address(), "--cname-target", "fallback.saas.io",
                          "--validation-step", "50", "--validation-backoff-scale", "0.002"});
    ApiClient api(server);
    subscribe(api, receiver);
    auto of_host = [&](const std::string& name) {
        std::vector<json> out;
        for (const auto& e : notify_events_of(receiver))
            if (e["data"]["data"]["hostname"] == name) out.push_back(e["data"]);
        return out;
    };
    // CNAMEd to the target: ownership and DCV pass, then issuance and deployment follow.
    create_dv_with_metadata(api, "cname.acme.io");
    // (A check the DNS server failed on the way would add a validation.failed: not counted here.)
    auto passed_steps = [&] {
        std::vector<std::string> out;
        for (const auto& e : of_host("cname.acme.io"))
            if (!e["metadata"]["event"]["type"].get<std::string>().ends_with(".failed"))
                out.push_back(e["metadata"]["event"]["type"]);
        return out;
    };
    REQUIRE_EVENTUALLY(passed_steps().size() >= 3);
    auto passed = passed_steps();
    CHECK(passed == std::vector<std::string>{type("validation.succeeded"), type("issuance.succeeded"),
                                            type("deployment.succeeded")});
    // Neither CNAME nor token, in a zone the DNS server answers for: each failed DCV check is a
    // validation.failed, still pending_validation and without validation_errors (a record that is
    // simply missing shows none; only a failed lookup shows the CA's SERVFAIL message).
    create_dv_with_metadata(api, "missing.acme.io");
    REQUIRE_EVENTUALLY(of_host("missing.acme.io").size() >= 2);
    for (const auto& e : of_host("missing.acme.io")) {
        CHECK(e["metadata"]["event"]["type"] == type("validation.failed"));
        CHECK(e["data"]["ssl"]["status"] == "pending_validation");
        CHECK_FALSE(e["data"]["ssl"].contains("validation_errors"));
    }
}

TEST_CASE("kill -9 while deliveries are in flight: after a restart every event reaches the receiver") {
    TempDir dir;
    const std::vector<std::string> args = {"--db", (dir.path() / "db.sqlite3").string(), "--validation", "auto",
                                           "--validation-step", "0", "--notification-timeout-ms", "500"};
    WebhookReceiver receiver;
    std::set<std::string> sent;
    {
        ServerProcess first(args);
        ApiClient api(first);
        subscribe(api, receiver);
        receiver.delay_answers(std::chrono::milliseconds(1000));
        for (int i = 0; i < 4; ++i) create_dv_with_metadata(api, "crash" + std::to_string(i) + ".acme.io");
        const json listed = deliveries(api)["deliveries"];
        for (const auto& d : listed) sent.insert(d["event_id"].get<std::string>());
        REQUIRE(sent.size() == 12);
        // The first POST is at the receiver, unanswered: the process dies mid-delivery.
        REQUIRE_EVENTUALLY(receiver.received().size() >= 2);
        REQUIRE(first.stop(SIGKILL) == -1);
    }
    receiver.delay_answers(std::chrono::milliseconds(0));
    ServerProcess second(args);
    ApiClient api(second);
    REQUIRE_EVENTUALLY(deliveries(api)["counts"]["delivered"] == 12);
    std::set<std::string> arrived;
    for (const auto& e : notify_events_of(receiver)) arrived.insert(e["data"]["metadata"]["event"]["id"].get<std::string>());
    CHECK(arrived == sent);  // at least once: one may have come twice, none is missing
}

TEST_CASE("a state snapshot carries destinations and policies; reset clears them with the outbox") {
    Subscribed subscribed({"--validation", "manual"});
    auto& receiver = subscribed.receiver;
    auto& api = subscribed.api;
    json hostname = create_dv_with_metadata(api, "seeded.acme.io");
    post_route(api, hostname, "notify", {{"event", "renewal.failed"}});
    REQUIRE_EVENTUALLY(deliveries(api)["counts"]["delivered"] == 1);
    auto snapshot = api.get("/_emulator/state?include_private_keys=true");
    REQUIRE(snapshot.status == 200);
    const json state = snapshot.json()["result"];
    REQUIRE(api.post("/_emulator/reset", json::object()).status == 200);
    CHECK(api.get(notify_alerting + "/policies").json()["result"].empty());
    CHECK(api.get(notify_alerting + "/destinations/webhooks").json()["result"].empty());
    CHECK(deliveries(api)["deliveries"].empty());
    REQUIRE(api.put("/_emulator/state", state).status == 200);
    CHECK(api.get(notify_alerting + "/policies").json()["result"].size() == 1);
    CHECK(deliveries(api)["counts"]["delivered"] == 1);
    // The seeded destination still has its secret.
    post_route(api, hostname, "notify", {{"event", "renewal.succeeded"}});
    REQUIRE_EVENTUALLY(notify_events_of(receiver).size() == 2);
    CHECK(receiver.received().back().headers.at("cf-webhook-auth") == secret);
}

TEST_CASE("a hostname in a zone of another account notifies that account's policies, not the default one's") {
    WebhookReceiver default_receiver, other_receiver;
    ServerProcess server({"--validation", "auto", "--validation-step", "50"});
    ApiClient api(server);
    subscribe(api, default_receiver);
    const std::string other_account = "5f0c8b7a6d5e4f3a2b1c0d9e8f7a6b5c";
    auto zone_created = api.post("/client/v4/zones", {{"name", "other-saas.io"}, {"account", {{"id", other_account}}}});
    REQUIRE(zone_created.status == 200);
    std::string other_zone = zone_created.json()["result"]["id"];
    // The other account's destination and policy.
    std::string other_alerting = "/client/v4/accounts/" + other_account + "/alerting/v3";
    auto webhook = api.post(other_alerting + "/destinations/webhooks", {{"name", "other"}, {"url", other_receiver.url()}});
    REQUIRE(webhook.status == 201);
    REQUIRE(api.post(other_alerting + "/policies",
                     {{"name", "other SaaS"}, {"alert_type", "custom_ssl_certificate_event_type"}, {"enabled", true},
                      {"mechanisms", {{"webhooks", {{{"id", webhook.json()["result"]["id"]}}}}}}})
                .status == 200);

    auto created = api.post("/client/v4/zones/" + other_zone + "/custom_hostnames",
                            {{"hostname", "shop.other-saas.io"}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(created.status == 201);
    REQUIRE_EVENTUALLY(notify_events_of(other_receiver).size() >= 3);
    for (const auto& e : notify_events_of(other_receiver)) {
        CHECK(e["account_id"] == other_account);
        CHECK(e["data"]["metadata"]["account"]["id"] == other_account);
        CHECK(e["data"]["metadata"]["zone"]["id"] == other_zone);
    }
    // The default account's policy got only its destination's test message.
    CHECK(notify_events_of(default_receiver).empty());
}
