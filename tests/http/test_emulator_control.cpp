// The control plane wired into the binary: clock, seed, journal, faults, rate limit, token
// scopes, gateway checks, quotas, metrics and --seed-file, as a test suite drives them.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

std::vector<std::string> created_csr_ids(const std::vector<std::string>& args) {
    ServerProcess server(args);
    ApiClient client(server);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(create_zone_csr(client, {"app.acme.io"}).id);
    return ids;
}

}  // namespace

TEST_CASE("--seed: the same seed and the same requests give the same ids; another seed others") {
    auto first = created_csr_ids({"--key-pool", "0", "--seed", "42"});
    auto second = created_csr_ids({"--key-pool", "0", "--seed", "42"});
    auto other = created_csr_ids({"--key-pool", "0", "--seed", "43"});
    CHECK(first == second);
    CHECK(first != other);
}

TEST_CASE("clock: advanced 91 days, a 90-day certificate is expired and its upload refused") {
    ServerProcess server({"--key-pool", "0", "--clock-start", "2027-01-01T00:00:00Z"});
    ApiClient client(server);
    auto clock = client.get("/_emulator/clock");
    REQUIRE(clock.status == 200);
    CHECK(clock.json()["result"]["now"].get<std::string>().starts_with("2027-01-01T00:00:"));
    CHECK(clock.header("Date").value_or("").starts_with("Fri, 01 Jan 2027 00:00:"));

    auto csr = create_zone_csr(client, {"app.acme.io"});
    auto chain = emulator_sign(client, csr.pem, 90);  // signed at the emulator's "now"
    auto uploaded = client.post(zone_certificates(), {{"certificate", chain}, {"custom_csr_id", csr.id}});
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 200);
    CHECK(uploaded.json()["result"]["uploaded_on"].get<std::string>().starts_with("2027-01-01"));

    auto advanced = client.post("/_emulator/clock", {{"advance", "91d"}});
    REQUIRE(advanced.status == 200);
    CHECK(advanced.json()["result"]["now"].get<std::string>().starts_with("2027-04-02"));

    auto again = client.post(zone_certificates(), {{"certificate", chain}, {"custom_csr_id", csr.id}});
    check_failure(again, 400, 2100);
    CHECK(error_message(again).find("expired") != std::string::npos);
}

TEST_CASE("gateway: a zone id that is not 32 hex digits is 404 / 7003 naming the /client/v4 path") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto r = client.get("/zones/my-zone/custom_csrs");
    check_failure(r, 404, 7003);
    CHECK(error_message(r) == "Could not route to /client/v4/zones/my-zone/custom_csrs, perhaps your object identifier is invalid?");
    CHECK(r.json()["errors"].size() == 1);
    CHECK(r.header("Date").has_value());
    // An empty zone id matches no route, yet only the id is wrong: still the id's 7003.
    auto empty = client.get("/client/v4/zones//custom_csrs");
    check_failure(empty, 404, 7003);
    CHECK(error_message(empty) == "Could not route to /client/v4/zones//custom_csrs, perhaps your object identifier is invalid?");
    check_failure(client.get("/client/v4/accounts//custom_csrs/" + std::string(36, 'a')), 404, 7003);
    // A path that is no route even with a good id is an unknown route.
    check_failure(client.get("/client/v4/zones/my-zone/nothing"), 404, 10404);
    check_failure(client.get(zone_csrs() + "/" + std::string(36, 'a') + "/extra"), 404, 10404);
}

TEST_CASE("faults: a respond rule answers 500 / 1500 once, then requests pass; the journal shows both") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto rule = client.post("/_emulator/faults", {{"method", "GET"}, {"path", "/zones/*/custom_csrs"}, {"times", 1}});
    INFO(rule.body);
    REQUIRE(rule.status == 200);
    check_failure(client.get(zone_csrs()), 500, 1500);
    CHECK(client.get(zone_csrs()).status == 200);
    CHECK(client.get("/_emulator/faults").json()["result"][0]["fired"] == 1);

    auto journal = client.get("/_emulator/journal?path_prefix=/client/v4/zones/").json()["result"];
    REQUIRE(journal.size() == 2);
    CHECK(journal[0]["status"] == 500);
    CHECK(journal[0]["error_codes"] == json::array({1500}));
    CHECK(journal[0]["credential"] == "api_token");
    CHECK(journal[1]["status"] == 200);
    CHECK(client.del("/_emulator/journal").json()["result"]["cleared"] == 2);
}

TEST_CASE("faults: a delay rule answers later without holding other requests; drop closes the connection") {
    ServerProcess server({"--key-pool", "0", "--threads", "1"});
    ApiClient client(server);
    REQUIRE(client.post("/_emulator/faults", {{"action", "delay"}, {"delay_ms", 600}, {"path", "/zones/**"}, {"times", 1}})
                .status == 200);
    auto start = std::chrono::steady_clock::now();
    CHECK(client.get(zone_csrs()).status == 200);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(550));

    REQUIRE(client.post("/_emulator/faults", {{"action", "drop"}, {"times", 1}}).status == 200);
    // Raw bytes on a connection of its own: HttpClient would resend once on a fresh connection.
    std::string reply = raw_exchange(server.host(), server.port(),
                                     "GET " + zone_csrs() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test\r\n\r\n");
    CHECK(reply.empty());  // closed without a byte of answer
    CHECK(client.get(zone_csrs()).status == 200);
    auto journal = client.get("/_emulator/journal?path_prefix=/client/v4/zones/").json()["result"];
    REQUIRE(journal.size() == 3);
    CHECK(journal[0]["status"] == 200);  // the delayed one
    CHECK(journal[1]["status"] == 0);    // dropped: nothing was answered
    CHECK(journal[2]["status"] == 200);
}

TEST_CASE("rate limit: beyond the quota 429 / 971 with Retry-After; Ratelimit headers; /_emulator exempt") {
    ServerProcess server({"--key-pool", "0", "--rate-limit", "on", "--rate-limit-quota", "2", "--rate-limit-window", "60"});
    ApiClient client(server);
    auto first = client.get(zone_csrs());
    CHECK(first.status == 200);
    CHECK(first.header("Ratelimit").value_or("") == "\"default\";r=1;t=60");
    CHECK(first.header("Ratelimit-Policy").value_or("") == "\"default\";q=2;w=60");
    CHECK(client.get(zone_csrs()).status == 200);
    auto refused = client.get(zone_csrs());
    check_failure(refused, 429, 971);
    CHECK(refused.header("Retry-After").has_value());
    CHECK(client.get("/_emulator/health").status == 200);
    // Another credential has a window of its own.
    ApiClient other(server, {{"Authorization", "Bearer other"}});
    CHECK(other.get(zone_csrs()).status == 200);
    // Turned off at run time.
    CHECK(client.put("/_emulator/rate_limit", {{"enabled", false}}).status == 200);
    CHECK(client.get(zone_csrs()).status == 200);
}

TEST_CASE("token scopes: --api-token TOKEN:ZONE reaches its zone only (403 / 10000 elsewhere)") {
    ServerProcess server({"--key-pool", "0", "--api-token", "scoped:" + zone_a, "--api-token", "all"});
    ApiClient scoped(server, {{"Authorization", "Bearer scoped"}});
    ApiClient all(server, {{"Authorization", "Bearer all"}});
    CHECK(scoped.get(zone_csrs(zone_a)).status == 200);
    auto refused = scoped.get(zone_csrs(zone_b));
    check_failure(refused, 403, 10000);
    CHECK(error_message(refused) == "Authentication error");
    CHECK(all.get(zone_csrs(zone_b)).status == 200);
}

TEST_CASE("quotas: --hostname-quota 1 refuses a second hostname of the zone with 403 / 1405") {
    ServerProcess server({"--key-pool", "0", "--hostname-quota", "1"});
    ApiClient client(server);
    CHECK(client.post(zone_hostnames(), {{"hostname", "app.acme.io"}}).status == 201);
    check_failure(client.post(zone_hostnames(), {{"hostname", "www.acme.io"}}), 403, 1405);
    CHECK(client.post(zone_hostnames(zone_b), {{"hostname", "www.acme.io"}}).status == 201);
}

TEST_CASE("metrics: request counts, journal size, rows per table and the key pool") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    create_zone_csr(client, {"app.acme.io"});
    auto r = client.get("/_emulator/metrics");
    REQUIRE(r.status == 200);
    CHECK(r.body.find("csr_emulator_http_requests_total{method=\"POST\",route=\"/zones/{zone_id}/custom_csrs\",status=\"201\"} 1") !=
          std::string::npos);
    CHECK(r.body.find("csr_emulator_rows{table=\"custom_csrs\"} 1") != std::string::npos);
    CHECK(r.body.find("csr_emulator_journal_entries 1") != std::string::npos);
    CHECK(r.body.find("csr_emulator_key_pool_ready 0") != std::string::npos);
}

TEST_CASE("--seed-file: a snapshot seeds a new server; a bad file stops the start with its JSON path") {
    TempDir dir;
    std::string file = dir.file("state.json");
    json snapshot;
    {
        ServerProcess server({"--key-pool", "0"});
        ApiClient client(server);
        create_zone_csr(client, {"app.acme.io"});
        snapshot = client.get("/_emulator/state?include_private_keys=true").json()["result"];
    }
    write_file(file, snapshot.dump());
    {
        ServerProcess seeded({"--key-pool", "0", "--seed-file", file});
        ApiClient client(seeded);
        CHECK(client.get("/_emulator/state?include_private_keys=true").json()["result"] == snapshot);
    }
    auto broken = snapshot;
    broken["custom_csrs"][0]["sans"][0] = 7;
    write_file(file, broken.dump());
    std::string command = std::string(CSR_EMULATOR_BINARY_PATH) + " --listen 127.0.0.1:0 --db :memory: --key-pool 0 --seed-file " +
                          file + " 2>" + dir.file("err.txt");
    int status = std::system(command.c_str());
    CHECK(WEXITSTATUS(status) == 1);
    std::ifstream err(dir.file("err.txt"));
    std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    CHECK(text.find("/custom_csrs/0/sans/0") != std::string::npos);
}

TEST_CASE("journal: a body nested 140,000 levels deep is refused 400 / 1400 and kept as a note, not parsed") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    const std::string deep = std::string(140'000, '[') + std::string(140'000, ']');
    check_failure(client.send("POST", zone_csrs(), R"({"sans": )" + deep + "}", default_auth), 400, 1400);
    auto journal = client.get("/_emulator/journal").json()["result"];
    REQUIRE(journal.size() == 1);
    CHECK(journal[0]["status"] == 400);
    CHECK(journal[0]["error_codes"] == json::array({1400}));
    CHECK(journal[0]["request_body"] == "[NOT RECORDED: nested deeper than 64 levels]");
    // The same document as a seed: refused whole, and the server still answers.
    auto seeded = client.send("PUT", "/_emulator/state", deep, {});
    CHECK(seeded.status == 400);
    CHECK(error_message(seeded).find("nested deeper than 64 levels") != std::string::npos);
    CHECK(client.get("/_emulator/health").status == 200);
}

TEST_CASE("--gateway-errors legacy: a zone id that is not 32 hex digits is 400 with 7003, then 7000") {
    ServerProcess server({"--key-pool", "0", "--gateway-errors", "legacy"});
    ApiClient client(server);
    auto r = client.get("/client/v4/zones/my-zone/custom_csrs");
    check_failure(r, 400, 7003);
    CHECK(error_message(r) == "Could not route to /client/v4/zones/my-zone/custom_csrs, perhaps your object identifier is invalid?");
    REQUIRE(r.json()["errors"].size() == 2);
    CHECK(r.json()["errors"][1] == json({{"code", 7000}, {"message", "No route for that URI"}}));
}

TEST_CASE("quotas: --certificate-quota 1 refuses a second custom certificate of the zone with 400 / 1212") {
    ServerProcess server({"--key-pool", "0", "--certificate-quota", "1"});
    ApiClient client(server);
    auto upload = [&](const std::string& zone) {
        auto csr = create_zone_csr(client, {"app.acme.io"}, zone);
        return client.post(zone_certificates(zone), {{"certificate", emulator_sign(client, csr.pem, 90)}, {"custom_csr_id", csr.id}});
    };
    auto first = upload(zone_a);
    INFO(first.body);
    CHECK(first.status == 200);
    auto second = upload(zone_a);
    check_failure(second, 400, 1212);
    CHECK(error_message(second) == "You have reached the maximum number of custom certificates.");
    CHECK(upload(zone_b).status == 200);  // counted per zone
}

TEST_CASE("--journal-size 2: the journal keeps the last two requests") {
    ServerProcess server({"--key-pool", "0", "--journal-size", "2"});
    ApiClient client(server);
    client.get(zone_csrs(zone_a));
    client.get(zone_csrs(zone_b));
    client.get(zone_csrs(zone_a) + "?page=2");
    auto journal = client.get("/_emulator/journal").json()["result"];
    REQUIRE(journal.size() == 2);
    CHECK(journal[0]["path"] == zone_csrs(zone_b));
    CHECK(journal[1]["path"] == zone_csrs(zone_a));
    CHECK(journal[1]["query"] == "page=2");
}

TEST_CASE("the control plane's settings come from CSR_EMULATOR_* variables too") {
    ServerProcess server({"--key-pool", "0"}, {{"CSR_EMULATOR_RATE_LIMIT", "on"},
                                               {"CSR_EMULATOR_RATE_LIMIT_QUOTA", "1"},
                                               {"CSR_EMULATOR_RATE_LIMIT_WINDOW", "60"},
                                               {"CSR_EMULATOR_CLOCK_START", "2027-01-01T00:00:00Z"},
                                               {"CSR_EMULATOR_GATEWAY_ERRORS", "legacy"},
                                               {"CSR_EMULATOR_HOSTNAME_QUOTA", "1"}});
    ApiClient client(server);
    CHECK(client.get("/_emulator/clock").json()["result"]["now"].get<std::string>().starts_with("2027-01-01T00:00:"));
    CHECK(client.post(zone_hostnames(), {{"hostname", "app.acme.io"}}).status == 201);
    auto limited = client.get(zone_csrs());
    check_failure(limited, 429, 971);
    CHECK(limited.header("Retry-After").value_or("") == "60");  // 59.9… s left, rounded up
    CHECK(limited.header("Ratelimit-Policy").value_or("") == "\"default\";q=1;w=60");
    check_failure(client.get("/client/v4/zones/my-zone/custom_csrs"), 400, 7003);  // before the rate limit
    ApiClient other(server, {{"Authorization", "Bearer other"}});
    check_failure(other.post(zone_hostnames(), {{"hostname", "www.acme.io"}}), 403, 1405);
}
