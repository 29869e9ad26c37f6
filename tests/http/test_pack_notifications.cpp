// Certificate pack events: packs are Cloudflare's "Advanced certificates", whose alert is the
// Advanced Certificate Alert (alert_type dedicated_ssl_certificate_event_type). Only policies of
// that type receive them, as ssl.certificate_pack.<event> with the pack's id, hosts and status;
// the SaaS alert's policies do not, and custom hostname events do not reach the pack policy.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/alert_policies.hpp"
#include "support/api_client.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/webhook_receiver.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string pack_zone = "7c3f6e1a2b4d4e5f8a9b0c1d2e3f4a5b";
const std::string& pack_account = default_account;

// The events a receiver got after its destination's test message, in order of arrival.
std::vector<json> pack_events_of(const WebhookReceiver& receiver) {
    std::vector<json> out;
    for (const auto& got : receiver.received())
        if (auto body = json::parse(got.body); body.contains("data")) out.push_back(body);
    return out;
}

std::int64_t delivered(ApiClient& api) {
    return api.get("/_emulator/notifications/deliveries").json()["result"]["counts"]["delivered"];
}

}  // namespace

TEST_CASE("a pack's way to active and its deletion reach the Advanced Certificate Alert's policies only") {
    WebhookReceiver packs_receiver, saas_receiver;
    ServerProcess server({"--zone", "packs.io:" + pack_zone, "--validation", "auto", "--validation-step", "50"});
    ApiClient api(server);
    subscribe_webhook(api, packs_receiver.url(), "packs", "dedicated_ssl_certificate_event_type");
    subscribe_webhook(api, saas_receiver.url(), "saas", "custom_ssl_certificate_event_type");

    auto ordered = api.post("/client/v4/zones/" + pack_zone + "/ssl/certificate_packs/order",
                            {{"type", "advanced"}, {"hosts", {"packs.io", "www.packs.io"}}, {"validation_method", "txt"},
                             {"validity_days", 90}, {"certificate_authority", "google"}});
    REQUIRE(ordered.status == 200);
    std::string id = ordered.json()["result"]["id"];
    REQUIRE_EVENTUALLY(pack_events_of(packs_receiver).size() >= 3);
    auto events = pack_events_of(packs_receiver);
    const std::vector<std::string> names = {"validation.succeeded", "issuance.succeeded", "deployment.succeeded"};
    const std::vector<std::string> statuses = {"pending_issuance", "pending_deployment", "active"};
    REQUIRE(events.size() == 3);
    for (std::size_t i = 0; i < events.size(); ++i) {
        const json& e = events[i];
        CHECK(e["alert_type"] == "dedicated_ssl_certificate_event_type");
        CHECK(e["data"]["metadata"]["event"]["type"] == "ssl.certificate_pack." + names[i]);
        CHECK(e["data"]["metadata"]["zone"]["id"] == pack_zone);
        CHECK(e["data"]["metadata"]["account"]["id"] == pack_account);
        CHECK(e["data"]["data"]["id"] == id);
        CHECK(e["data"]["data"]["hosts"] == json::array({"packs.io", "www.packs.io"}));
        CHECK(e["data"]["data"]["ssl"]["status"] == statuses[i]);
        CHECK(e["data"]["data"]["ssl"]["validation_method"] == "txt");
    }
    // Three deliveries in all: none went to the SaaS alert's policy.
    REQUIRE_EVENTUALLY(delivered(api) == 3);
    CHECK(pack_events_of(saas_receiver).empty());

    // A custom hostname's events go to the SaaS policy, not to the pack's.
    auto hostname = api.post("/client/v4/zones/" + pack_zone + "/custom_hostnames",
                             {{"hostname", "shop.customer.io"}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(hostname.status == 201);
    REQUIRE_EVENTUALLY(pack_events_of(saas_receiver).size() >= 3);

    REQUIRE(api.del("/client/v4/zones/" + pack_zone + "/ssl/certificate_packs/" + id).status == 200);
    REQUIRE_EVENTUALLY(pack_events_of(packs_receiver).size() == 4);
    json deleted = pack_events_of(packs_receiver)[3]["data"];
    CHECK(deleted["metadata"]["event"]["type"] == "ssl.certificate_pack.deletion.succeeded");
    CHECK(deleted["data"]["id"] == id);
    CHECK(deleted["data"]["ssl"]["status"] == "deleted");
    CHECK(pack_events_of(packs_receiver).size() == 4);
}
