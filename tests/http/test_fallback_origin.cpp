// The zone's fallback origin end to end: set, read, replace, delete, the status lifecycle a
// polling client sees in each --validation mode (auto: a --validation-step after the PUT, stored
// by the background settler even if nobody reads it; off: settled in the request; manual: by the
// emulator's advance route), name checks, and zones kept apart. Responses are contract-checked.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <optional>

#include "storage/database.hpp"
#include "storage/fallback_origin_repository.hpp"
#include "support/api_client.hpp"
#include "support/csr_fixtures.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

std::string fallback(const std::string& zone = zone_a) {
    return "/client/v4/zones/" + zone + "/custom_hostnames/fallback_origin";
}

// --validation off (the test servers' default): settled in the request.
ServerProcess& shared_off() {
    static ServerProcess s;
    return s;
}

// --validation auto: what a polling client sees. The step is long so that only the emulator's
// clock moves it: with the default 250 ms, a loaded machine let a step pass in real time between
// a DELETE and the GET that expected pending_deletion.
ServerProcess& shared_auto() {
    static ServerProcess s({"--validation", "auto", "--validation-step", "30000"});
    return s;
}

// A zone of its own per test, so tests sharing the server do not see each other.
std::string fresh_zone(char fill) { return std::string(32, fill); }

// Past one lifecycle step (30 s on shared_auto, 250 ms by default) on the emulator's clock,
// without waiting for it.
void one_step(ApiClient& client) { advance_clock(client, "1m"); }

}  // namespace

TEST_CASE("fallback origin: none set -> 404 with code 1551 (GET and DELETE)") {
    ApiClient client(shared_off());
    check_failure(client.get(fallback(fresh_zone('1'))), 404, 1551);
    check_failure(client.del(fallback(fresh_zone('1'))), 404, 1551);
}

TEST_CASE("fallback origin, auto mode: PUT shows pending_deployment, GET a step later shows active") {
    ApiClient client(shared_auto());
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

    one_step(client);
    auto get = client.get(fallback(zone));
    REQUIRE(get.status == 200);
    CHECK(get.json()["result"]["status"] == "active");
    CHECK(get.json()["result"]["origin"] == "fallback.saas-provider.io");
    CHECK(get.json()["result"]["created_at"] == result["created_at"]);
    CHECK(get.json()["result"]["updated_at"] > result["updated_at"]);
}

TEST_CASE("fallback origin: the same path under /client/v4 and bare, not taken for a hostname id") {
    ApiClient client(shared_off());
    const std::string zone = fresh_zone('3');
    REQUIRE(client.put("/zones/" + zone + "/custom_hostnames/fallback_origin", {{"origin", "origin.acme.io"}}).status == 200);
    auto get = client.get(fallback(zone));
    REQUIRE(get.status == 200);  // a hostname id lookup would answer 400/1435 or 404/1436
    CHECK(get.json()["result"]["origin"] == "origin.acme.io");
}

TEST_CASE("fallback origin, auto mode: PUT again replaces the origin, keeps created_at, restarts deployment") {
    ApiClient client(shared_auto());
    const std::string zone = fresh_zone('4');
    auto first = client.put(fallback(zone), {{"origin", "one.acme.io"}}).json()["result"];
    one_step(client);
    auto second = client.put(fallback(zone), {{"origin", "two.acme.io"}});
    REQUIRE(second.status == 200);
    CHECK(second.json()["result"]["origin"] == "two.acme.io");
    CHECK(second.json()["result"]["status"] == "pending_deployment");
    CHECK(second.json()["result"]["created_at"] == first["created_at"]);
}

TEST_CASE("fallback origin, auto mode: DELETE shows pending_deletion, then it is gone") {
    ApiClient client(shared_auto());
    const std::string zone = fresh_zone('5');
    client.put(fallback(zone), {{"origin", "origin.acme.io"}});
    auto del = client.del(fallback(zone));
    INFO(del.body);
    REQUIRE(del.status == 200);
    CHECK(del.json()["result"]["status"] == "pending_deletion");
    CHECK(del.json()["result"]["origin"] == "origin.acme.io");
    CHECK(client.get(fallback(zone)).json()["result"]["status"] == "pending_deletion");

    one_step(client);
    check_failure(client.get(fallback(zone)), 404, 1551);
}

TEST_CASE("fallback origin, auto mode: stored active a step after the PUT with no API read (the edge's view)") {
    ServerProcess server({"--validation", "auto", "--validation-step", "100"});
    ApiClient client(server);
    const auto put_at = std::chrono::steady_clock::now();
    auto put = client.put(fallback(), {{"origin", "quiet.saas.io"}});
    REQUIRE(put.status == 200);
    CHECK(put.json()["result"]["status"] == "pending_deployment");
    // The row as the edge reads it, straight from the database file (WAL lets a reader in):
    // the fallback origin is never read through the API here, so only the settler can move it.
    storage::Database db(server.db_path());
    auto stored = [&] {
        storage::FallbackOriginRepository repo(db);
        auto row = repo.find(zone_a);
        return row ? row->status : std::string("none");
    };
    // Real time, not the emulator's clock: what is awaited is the settler's own timer.
    std::string status;
    CHECK_EVENTUALLY((status = stored()) != "pending_deployment");
    CHECK(status == "active");
    CHECK(std::chrono::steady_clock::now() - put_at >= std::chrono::milliseconds(100));
    // Nobody asked: no GET of the fallback origin reached the server.
    auto journal = client.get("/_emulator/journal?method=GET&path_prefix=/client/v4/zones/");
    REQUIRE(journal.status == 200);
    CHECK(journal.json()["result"].empty());
}

TEST_CASE("fallback origin, auto mode: the step is --validation-step, not a fixed 250 ms") {
    ServerProcess server({"--validation", "auto", "--validation-step", "1500"});
    ApiClient client(server);
    REQUIRE(client.put(fallback(), {{"origin", "slow.saas.io"}}).status == 200);
    advance_clock(client, "1s");  // four default steps, short of 1500 ms
    CHECK(client.get(fallback()).json()["result"]["status"] == "pending_deployment");
    advance_clock(client, "1s");  // past 1500 ms
    CHECK(client.get(fallback()).json()["result"]["status"] == "active");
}

TEST_CASE("fallback origin, off: active in the PUT answer; a DELETE is gone at once") {
    ApiClient client(shared_off());
    const std::string zone = fresh_zone('9');
    auto put = client.put(fallback(zone), {{"origin", "origin.acme.io"}});
    REQUIRE(put.status == 200);
    CHECK(put.json()["result"]["status"] == "active");
    CHECK(put.json()["result"]["updated_at"] == put.json()["result"]["created_at"]);
    CHECK(client.get(fallback(zone)).json()["result"]["status"] == "active");
    auto del = client.del(fallback(zone));
    REQUIRE(del.status == 200);
    CHECK(del.json()["result"]["status"] == "pending_deletion");  // Cloudflare's DELETE answer
    check_failure(client.get(fallback(zone)), 404, 1551);
}

TEST_CASE("fallback origin, manual mode: pending until POST /_emulator/.../fallback_origin/advance") {
    ServerProcess server({"--validation", "manual", "--validation-step", "50"});
    ApiClient client(server);
    const std::string advance = "/_emulator/zones/" + zone_a + "/custom_hostnames/fallback_origin/advance";
    CHECK(client.put(fallback(), {{"origin", "origin.acme.io"}}).json()["result"]["status"] == "pending_deployment");
    one_step(client);  // many steps: nothing moves by time
    CHECK(client.get(fallback()).json()["result"]["status"] == "pending_deployment");
    auto advanced = client.post(advance, json::object());
    REQUIRE(advanced.status == 200);
    CHECK(advanced.json()["result"]["status"] == "active");
    CHECK(client.get(fallback()).json()["result"]["status"] == "active");
    check_failure(client.post(advance, json::object()), 409, 1400);

    CHECK(client.del(fallback()).json()["result"]["status"] == "pending_deletion");
    one_step(client);
    CHECK(client.get(fallback()).json()["result"]["status"] == "pending_deletion");
    auto removed = client.post(advance, json::object());
    REQUIRE(removed.status == 200);
    CHECK(removed.json()["result"]["status"] == "deleted");
    check_failure(client.get(fallback()), 404, 1551);
    check_failure(client.post(advance, json::object()), 404, 1551);
}

TEST_CASE("fallback origin: zones are kept apart") {
    ApiClient client(shared_off());
    client.put(fallback(fresh_zone('6')), {{"origin", "six.acme.io"}});
    check_failure(client.get(fallback(fresh_zone('7'))), 404, 1551);
}

TEST_CASE("fallback origin: invalid origins get the origin-server codes") {
    ApiClient client(shared_off());
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
    ApiClient client(shared_off());
    check_failure(client.send("GET", fallback(), "", {}), 400, 9106);
}
