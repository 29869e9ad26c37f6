// The zone's fallback origin end to end: set, read, replace, delete, the status lifecycle a
// polling client sees, name checks, and zones kept apart. Responses are contract-checked.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "support/api_client.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

std::string fallback(const std::string& zone = zone_a) {
    return "/client/v4/zones/" + zone + "/custom_hostnames/fallback_origin";
}

ServerProcess& shared() {
    static ServerProcess s;
    return s;
}

// A zone of its own per test, so tests sharing the server do not see each other.
std::string fresh_zone(char fill) { return std::string(32, fill); }

// Waits past one lifecycle step (250 ms by default).
void one_step() { std::this_thread::sleep_for(std::chrono::milliseconds(400)); }

}  // namespace

TEST_CASE("fallback origin: none set -> 404 with code 1551 (GET and DELETE)") {
    ApiClient client(shared());
    check_failure(client.get(fallback(fresh_zone('1'))), 404, 1551);
    check_failure(client.del(fallback(fresh_zone('1'))), 404, 1551);
}

TEST_CASE("fallback origin: PUT shows pending_deployment, GET a step later shows active") {
    ApiClient client(shared());
    const std::string zone = fresh_zone('2');
    auto put = client.put(fallback(zone), {{"origin", "Fallback.SaaS-Provider.io"}});
    INFO(put.body);
    REQUIRE(put.status == 200);
    json result = put.json()["result"];
    CHECK(result["origin"] == "fallback.saas-provider.io");
    CHECK(result["status"] == "pending_deployment");
    CHECK(result["created_at"].get<std::string>().ends_with("Z"));
    CHECK(result["updated_at"] == result["created_at"]);
    CHECK_FALSE(result.contains("errors"));

    one_step();
    auto get = client.get(fallback(zone));
    REQUIRE(get.status == 200);
    CHECK(get.json()["result"]["status"] == "active");
    CHECK(get.json()["result"]["origin"] == "fallback.saas-provider.io");
    CHECK(get.json()["result"]["created_at"] == result["created_at"]);
    CHECK(get.json()["result"]["updated_at"] > result["updated_at"]);
}

TEST_CASE("fallback origin: the same path under /client/v4 and bare, not taken for a hostname id") {
    ApiClient client(shared());
    const std::string zone = fresh_zone('3');
    REQUIRE(client.put("/zones/" + zone + "/custom_hostnames/fallback_origin", {{"origin", "origin.acme.io"}}).status == 200);
    auto get = client.get(fallback(zone));
    REQUIRE(get.status == 200);  // a hostname id lookup would answer 400/1435 or 404/1436
    CHECK(get.json()["result"]["origin"] == "origin.acme.io");
}

TEST_CASE("fallback origin: PUT again replaces the origin, keeps created_at, restarts deployment") {
    ApiClient client(shared());
    const std::string zone = fresh_zone('4');
    auto first = client.put(fallback(zone), {{"origin", "one.acme.io"}}).json()["result"];
    one_step();
    auto second = client.put(fallback(zone), {{"origin", "two.acme.io"}});
    REQUIRE(second.status == 200);
    CHECK(second.json()["result"]["origin"] == "two.acme.io");
    CHECK(second.json()["result"]["status"] == "pending_deployment");
    CHECK(second.json()["result"]["created_at"] == first["created_at"]);
}

TEST_CASE("fallback origin: DELETE shows pending_deletion, then it is gone") {
    ApiClient client(shared());
    const std::string zone = fresh_zone('5');
    client.put(fallback(zone), {{"origin", "origin.acme.io"}});
    auto del = client.del(fallback(zone));
    INFO(del.body);
    REQUIRE(del.status == 200);
    CHECK(del.json()["result"]["status"] == "pending_deletion");
    CHECK(del.json()["result"]["origin"] == "origin.acme.io");
    CHECK(client.get(fallback(zone)).json()["result"]["status"] == "pending_deletion");

    one_step();
    check_failure(client.get(fallback(zone)), 404, 1551);
}

TEST_CASE("fallback origin: zones are kept apart") {
    ApiClient client(shared());
    client.put(fallback(fresh_zone('6')), {{"origin", "six.acme.io"}});
    check_failure(client.get(fallback(fresh_zone('7'))), 404, 1551);
}

TEST_CASE("fallback origin: invalid origins get the origin-server codes") {
    ApiClient client(shared());
    const std::string path = fallback(fresh_zone('8'));
    check_failure(client.put(path, json::object()), 400, 1415);
    check_failure(client.put(path, {{"origin", "not a name"}}), 400, 1415);
    check_failure(client.put(path, {{"origin", std::string(250, 'a') + ".acme.io"}}), 400, 1415);
    check_failure(client.put(path, {{"origin", "192.0.2.1"}}), 400, 1415);
    check_failure(client.put(path, {{"origin", "bücher.acme.io"}}), 400, 1416);
    check_failure(client.put(path, {{"origin", "origin.test"}}), 400, 1417);
    check_failure(client.put(path, {{"origin", "origin.example.com"}}), 400, 1419);
    check_failure(client.put(path, {{"origin", "*.acme.io"}}), 400, 1420);
    check_failure(client.put(path, {{"origin", 42}}), 400, 1400);
    check_failure(client.send("PUT", path, "{not json", {{"Authorization", "Bearer t"}}), 400, 1400);
    check_failure(client.get(path), 404, 1551);  // nothing was stored
}

TEST_CASE("fallback origin: credentials are required like every Cloudflare route") {
    ApiClient client(shared());
    check_failure(client.send("GET", fallback(), "", {}), 400, 9106);
}
