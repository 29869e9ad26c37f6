// Zones that exist: POST /zones, the list with its filters and paging, GET and DELETE one, the
// pending -> active lifecycle on the emulator's clock, --zone, and a zone id used without being
// created (every other route keeps working; /zones does not know it). Contract-checked.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "support/api_client.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string zones_account = "01a7362d577a6c3019a474fd6f485823";

ServerProcess& shared_zones() {
    static ServerProcess s({"--zone", "configured.io:" + std::string(32, 'c'), "--zone", "other-config.io"});
    return s;
}

json create_zone(ApiClient& client, const std::string& name, const std::string& owner = zones_account) {
    auto response = client.post("/client/v4/zones", {{"name", name}, {"account", {{"id", owner}}}});
    INFO(response.body);
    REQUIRE(response.status == 200);
    return response.json()["result"];
}

}  // namespace

TEST_CASE("POST /zones: the zone as the schema and the SDKs read it, then GET and the list") {
    ApiClient client(shared_zones());
    json zone = create_zone(client, "Shop-One.io");
    CHECK(zone["name"] == "shop-one.io");
    CHECK(zone["id"].get<std::string>().size() == 32);
    CHECK(zone["status"] == "active");  // --zone-activation 0: active at once
    CHECK(zone["account"]["id"] == zones_account);
    CHECK(zone["type"] == "full");
    CHECK(zone["paused"] == false);
    CHECK(zone["activated_on"] == zone["created_on"]);
    CHECK(zone["original_registrar"].is_null());
    CHECK(zone["plan"]["legacy_id"] == "free");

    auto got = client.get("/client/v4/zones/" + zone["id"].get<std::string>());
    REQUIRE(got.status == 200);
    CHECK(got.json()["result"] == zone);

    auto listed = client.get("/client/v4/zones?name=shop-one.io");
    REQUIRE(listed.status == 200);
    REQUIRE(listed.json()["result"].size() == 1);
    CHECK(listed.json()["result"][0]["id"] == zone["id"]);
    CHECK(listed.json()["result_info"]["total_count"] == 1);
}

TEST_CASE("POST /zones refusals: 1061 a name taken, 1099 a bad name, 1098 no account, 1400 bad JSON or type") {
    ApiClient client(shared_zones());
    create_zone(client, "taken.io");
    auto again = client.post("/client/v4/zones", {{"name", "TAKEN.io"}, {"account", {{"id", zones_account}}}});
    check_failure(again, 400, 1061);
    CHECK(error_message(again) == "taken.io already exists");
    for (const char* bad : {"io", "-lead.io", "a..b.io", "under_score.io", "x.toolongtopleveldomainname", "1.2.3.4"})
        check_failure(client.post("/client/v4/zones", {{"name", bad}, {"account", {{"id", zones_account}}}}), 400, 1099);
    check_failure(client.post("/client/v4/zones", {{"name", "noaccount.io"}}), 400, 1098);
    check_failure(client.post("/client/v4/zones", {{"name", "shortaccount.io"}, {"account", {{"id", "abc"}}}}), 400, 1098);
    check_failure(client.post("/client/v4/zones", {{"name", "type.io"}, {"account", {{"id", zones_account}}}, {"type", "weird"}}),
                  400, 1400);
    check_failure(client.send("POST", "/client/v4/zones", "{", {{"Authorization", "Bearer test"}, {"Content-Type", "application/json"}}),
                  400, 1400);
}

TEST_CASE("GET /zones: account.id, name operators, status and paging as the SDKs page") {
    ApiClient client(shared_zones());
    const std::string owner = std::string(31, 'e') + "1";
    for (const char* name : {"alpha.page.io", "beta.page.io", "gamma.page.io", "delta.page.io", "epsilon.page.io", "zeta.page.io"})
        create_zone(client, name, owner);
    auto page1 = client.get("/client/v4/zones?account.id=" + owner + "&per_page=5&page=1");
    REQUIRE(page1.status == 200);
    CHECK(page1.json()["result"].size() == 5);
    CHECK(page1.json()["result"][0]["name"] == "alpha.page.io");  // by name
    CHECK(page1.json()["result_info"]["total_count"] == 6);
    auto page2 = client.get("/client/v4/zones?account.id=" + owner + "&per_page=5&page=2");
    CHECK(page2.json()["result"].size() == 1);
    auto page3 = client.get("/client/v4/zones?account.id=" + owner + "&per_page=5&page=3");
    REQUIRE(page3.status == 200);
    CHECK(page3.json()["result"].empty());  // the SDKs stop on an empty page

    CHECK(client.get("/client/v4/zones?name=starts_with:gam&account.id=" + owner).json()["result"].size() == 1);
    CHECK(client.get("/client/v4/zones?name=contains:ta.page&account.id=" + owner).json()["result"].size() == 3);
    CHECK(client.get("/client/v4/zones?name=ends_with:page.io&account.id=" + owner).json()["result"].size() == 6);
    CHECK(client.get("/client/v4/zones?status=pending&account.id=" + owner).json()["result"].empty());
    CHECK(client.get("/client/v4/zones?status=active&account.id=" + owner).json()["result"].size() == 6);
    check_failure(client.get("/client/v4/zones?status=sleeping"), 400, 1400);
    check_failure(client.get("/client/v4/zones?direction=up"), 400, 1400);
}

TEST_CASE("--zone: configured zones exist from the start, with the id given, and come back after a reset") {
    ApiClient client(shared_zones());
    auto got = client.get("/client/v4/zones/" + std::string(32, 'c'));
    REQUIRE(got.status == 200);
    CHECK(got.json()["result"]["name"] == "configured.io");
    CHECK(got.json()["result"]["status"] == "active");
    CHECK(client.get("/client/v4/zones?name=other-config.io").json()["result"].size() == 1);
}

TEST_CASE("DELETE /zones/{id}: result {id}, then 404 / 1001; an id never created is 404 / 1001 too") {
    ApiClient client(shared_zones());
    json zone = create_zone(client, "gone.io");
    const std::string id = zone["id"];
    auto deleted = client.del("/client/v4/zones/" + id);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.json()["result"] == json{{"id", id}});
    check_failure(client.get("/client/v4/zones/" + id), 404, 1001);
    check_failure(client.del("/client/v4/zones/" + id), 404, 1001);
    check_failure(client.get("/client/v4/zones/" + std::string(32, '9')), 404, 1001);
    // A malformed id is the gateway's, as on every zone route.
    check_failure(client.get("/client/v4/zones/not-a-zone"), 404, 7003);
}

TEST_CASE("a zone id used without being created keeps working for the other routes") {
    ApiClient client(shared_zones());
    auto hostnames = client.get("/client/v4/zones/" + std::string(32, '7') + "/custom_hostnames");
    CHECK(hostnames.status == 200);
}

TEST_CASE("--zone-activation: pending (activated_on null) until the emulator's clock reaches it") {
    ServerProcess server({"--zone-activation", "3600", "--zone", "kept.io"});
    ApiClient client(server);
    json zone = create_zone(client, "slow.io");
    CHECK(zone["status"] == "pending");
    CHECK(zone["activated_on"].is_null());
    CHECK(client.get("/client/v4/zones?status=pending").json()["result"].size() == 1);
    advance_clock(client, "3601s");
    auto later = client.get("/client/v4/zones/" + zone["id"].get<std::string>());
    CHECK(later.json()["result"]["status"] == "active");
    CHECK(later.json()["result"]["activated_on"].is_string());

    // A reset clears the zones, then makes the configured ones again.
    auto reset = client.send("POST", "/_emulator/reset", "{}", {{"Content-Type", "application/json"}});
    REQUIRE(reset.status == 200);
    CHECK(client.get("/client/v4/zones?name=slow.io").json()["result"].empty());
    CHECK(client.get("/client/v4/zones?name=kept.io").json()["result"].size() == 1);
}

TEST_CASE("zones in the state document: snapshot, seed, and the rules a seeded zone must keep") {
    ServerProcess server;
    ApiClient client(server);
    json zone = create_zone(client, "seeded.io");
    json state = client.get("/_emulator/state").json()["result"];
    REQUIRE(state["zones"].size() == 1);
    CHECK(state["zones"][0]["name"] == "seeded.io");
    auto seed = [&](const json& document) {
        return client.send("PUT", "/_emulator/state", document.dump(), {{"Content-Type", "application/json"}});
    };
    auto refused_with = [&](const json& document, const std::string& pointer) {
        auto response = seed(document);
        check_failure(response, 400, 1400);
        CHECK(error_message(response).starts_with(pointer));
    };
    json twice = state;
    twice["zones"].push_back(state["zones"][0]);
    twice["zones"][1]["id"] = std::string(32, 'd');
    refused_with(twice, "/zones/1/name: duplicates /zones/0");
    struct Bad {
        const char* column;
        const char* value;
        const char* refusal;
    };
    for (const Bad& bad : {Bad{"name", "Seeded.io", "/zones/0/name: must be a lower-case zone name"},
                           Bad{"id", "not-hex", "/zones/0/id: must be 32 lower-case hexadecimal digits"},
                           Bad{"activated_on", "soon", "/zones/0/activated_on"}}) {
        json document = state;
        document["zones"][0][bad.column] = bad.value;
        refused_with(document, bad.refusal);
    }
    json renamed = state;
    renamed["zones"][0]["name"] = "renamed.io";
    REQUIRE(seed(renamed).status == 200);
    CHECK(client.get("/client/v4/zones/" + zone["id"].get<std::string>()).json()["result"]["name"] == "renamed.io");
}
