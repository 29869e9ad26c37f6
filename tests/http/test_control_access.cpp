// Access to the API listener through the real binary: the control plane in strict mode, a
// cross-site simple POST, a foreign Host, the settings (flags and CSR_EMULATOR_* variables), and
// the healthcheck subcommand, which must keep working in every mode.
#include <doctest/doctest.h>

#include <csignal>
#include <string>

#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

std::string listen_of(const ServerProcess& server) { return server.host() + ":" + std::to_string(server.port()); }

int rows_of(HttpClient& client, const Headers& headers, const std::string& table) {
    auto state = client.request("GET", "/_emulator/state", {}, headers);
    REQUIRE(state.status == 200);
    return static_cast<int>(state.json()["result"][table].size());
}

}  // namespace

TEST_CASE("strict mode without --control-token: the control plane is closed, the API and health checks work") {
    ServerProcess server({"--key-pool", "0", "--api-token", "api-secret"});
    HttpClient client(server.host(), server.port());
    for (const char* path : {"/_emulator/state?include_private_keys=true", "/_emulator/journal", "/_emulator/clock"}) {
        INFO(path);
        for (const Headers& headers : {Headers{}, Headers{{"Authorization", "Bearer api-secret"}}}) {
            auto refused = client.request("GET", path, {}, headers);
            check_failure(refused, 403, 1403);
            CHECK(error_message(refused).find("--control-token TOKEN (CSR_EMULATOR_CONTROL_TOKEN)") != std::string::npos);
        }
    }
    check_failure(client.request("POST", "/_emulator/reset", "{}", {}), 403, 1403);
    CHECK(client.request("GET", "/_emulator/health").status == 200);
    CHECK(client.request("GET", "/_emulator/ready").status == 200);
    ApiClient api(server, {{"Authorization", "Bearer api-secret"}});
    CHECK(api.get(zone_csrs()).status == 200);
    auto check = run_emulator({"healthcheck", "--listen", listen_of(server)});
    INFO(check.err);
    CHECK(check.exit_code == 0);
}

TEST_CASE("strict mode with --control-token: private keys and every control route only with the credential") {
    ServerProcess server({"--key-pool", "0", "--api-token", "api-secret", "--control-token", "control-secret"});
    ApiClient api(server, {{"Authorization", "Bearer api-secret"}});
    auto csr = create_zone_csr(api, {"app.acme.io"});
    HttpClient client(server.host(), server.port());

    auto without = client.request("GET", "/_emulator/state?include_private_keys=true");
    check_failure(without, 401, 1401);
    CHECK(without.header("WWW-Authenticate").value_or("") == "Bearer realm=\"csr-emulator control plane\"");
    CHECK(without.body.find("PRIVATE KEY") == std::string::npos);
    check_failure(client.request("GET", "/_emulator/state?include_private_keys=true", {},
                                 {{"Authorization", "Bearer api-secret"}}),
                  401, 1401);
    check_failure(client.request("POST", "/_emulator/clock", R"({"advance":"1d"})", {}), 401, 1401);

    const Headers control = {{"Authorization", "Bearer control-secret"}};
    auto with = client.request("GET", "/_emulator/state?include_private_keys=true", {}, control);
    REQUIRE(with.status == 200);
    CHECK(with.body.find("PRIVATE KEY-----") != std::string::npos);
    CHECK(client.request("POST", "/_emulator/clock", R"({"advance":"1d"})", control).status == 200);
    CHECK(client.request("GET", "/_emulator/health").status == 200);
    auto check = run_emulator({"healthcheck", "--listen", listen_of(server)});
    INFO(check.err);
    CHECK(check.exit_code == 0);
}

TEST_CASE("the settings come from CSR_EMULATOR_CONTROL_TOKEN and CSR_EMULATOR_ALLOWED_HOSTS too") {
    ServerProcess server({"--key-pool", "0"}, {{"CSR_EMULATOR_CONTROL_TOKEN", "env-control"},
                                               {"CSR_EMULATOR_ALLOWED_HOSTS", "csr-emulator,console.internal"}});
    HttpClient client(server.host(), server.port());
    check_failure(client.request("GET", "/_emulator/clock"), 401, 1401);
    CHECK(client.request("GET", "/_emulator/clock", {}, {{"Authorization", "Bearer env-control"}}).status == 200);
    CHECK(client.request("GET", "/_emulator/health", {}, {{"Host", "csr-emulator:8790"}}).status == 200);
    CHECK(client.request("GET", "/_emulator/health", {}, {{"Host", "console.internal"}}).status == 200);
    check_failure(client.request("GET", "/_emulator/health", {}, {{"Host", "other.internal"}}), 421, 1421);
    CHECK(server.stderr_text().find("control_token=set allowed_hosts=csr-emulator,console.internal") != std::string::npos);
    CHECK(server.stderr_text().find("env-control") == std::string::npos);  // the token is never logged

    auto bad = run_emulator({"--allowed-host", "evil.example:8790"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--allowed-host: expected a host name without port") != std::string::npos);
    CHECK(run_emulator({"--control-token", "two words"}).exit_code == 2);
    CHECK(run_emulator({"--allowed-host", "evil/example"}).exit_code == 2);
}

TEST_CASE("a foreign Host is refused with 421 / 1421 on every route; --allowed-host serves it") {
    ServerProcess server({"--key-pool", "0"});
    HttpClient client(server.host(), server.port());
    const Headers rebound = {{"Host", "rebind.evil.example:" + std::to_string(server.port())},
                             {"Authorization", "Bearer test"}};
    for (const std::string& path : {std::string("/_emulator/state?include_private_keys=true"), zone_csrs(),
                                   std::string("/_emulator/health")}) {
        INFO(path);
        auto refused = client.request("GET", path, {}, rebound);
        check_failure(refused, 421, 1421);
        CHECK(error_message(refused).find("does not answer for host 'rebind.evil.example:") != std::string::npos);
    }
    // Addresses and localhost need no setting: podman/docker port mappings and 0.0.0.0 keep working.
    for (const std::string& host : {"127.0.0.1:" + std::to_string(server.port()), std::string("[::1]:8790"),
                                   std::string("localhost:8790"), std::string("10.88.0.4:8790")}) {
        INFO(host);
        CHECK(client.request("GET", "/_emulator/health", {}, {{"Host", host}}).status == 200);
    }

    ServerProcess named({"--key-pool", "0", "--allowed-host", "rebind.evil.example"});
    HttpClient named_client(named.host(), named.port());
    CHECK(named_client.request("GET", zone_csrs(), {}, rebound).status == 200);
}

TEST_CASE("a cross-site simple POST to reset, clock or faults changes nothing") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient api(server);
    create_zone_csr(api, {"app.acme.io"});
    HttpClient client(server.host(), server.port());
    std::string clock_before = client.request("GET", "/_emulator/clock").json()["result"]["now"];

    struct Attempt {
        std::string path, body;
    };
    const Attempt attempts[] = {{"/_emulator/reset", "{}"},
                                {"/_emulator/clock", R"({"now":"2031-01-01T00:00:00Z"})"},
                                {"/_emulator/faults", R"({"path":"/**","action":"drop"})"}};
    for (const auto& attempt : attempts) {
        INFO(attempt.path);
        // A form or fetch() on another site: a simple type (no preflight), and the page's Origin.
        for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b"}) {
            INFO(type);
            auto from_page = client.request("POST", attempt.path, attempt.body,
                                            {{"Content-Type", type}, {"Origin", "https://evil.example"}});
            check_failure(from_page, 403, 1403);
            CHECK(error_message(from_page).find("Origin 'https://evil.example'") != std::string::npos);
            // The same without an Origin (a browser that leaves it out): the type alone is refused.
            auto typed = client.request("POST", attempt.path, attempt.body, {{"Content-Type", type}});
            check_failure(typed, 415, 1415);
            CHECK(error_message(typed).find("send Content-Type: application/json") != std::string::npos);
        }
    }
    CHECK(rows_of(client, {}, "custom_csrs") == 1);
    CHECK(client.request("GET", "/_emulator/clock").json()["result"]["now"].get<std::string>().substr(0, 4) ==
          clock_before.substr(0, 4));
    CHECK(client.request("GET", "/_emulator/faults").json()["result"].empty());
    CHECK(api.get(zone_csrs()).status == 200);

    // The emulator's own page (same origin) and JSON go through.
    auto same_origin = client.request("POST", "/_emulator/reset", "{}",
                                      {{"Content-Type", "application/json"},
                                       {"Origin", "http://127.0.0.1:" + std::to_string(server.port())},
                                       {"Host", "127.0.0.1:" + std::to_string(server.port())}});
    CHECK(same_origin.status == 200);
    CHECK(rows_of(client, {}, "custom_csrs") == 0);
}

TEST_CASE("the clock's range through the binary: 9999 is refused and the clock does not move") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    CHECK(client.post("/_emulator/clock", {{"now", "2027-01-01T00:00:00Z"}}).status == 200);
    auto refused = client.post("/_emulator/clock", {{"now", "9999-12-31T00:00:00Z"}});
    check_failure(refused, 400, 1400);
    CHECK(error_message(refused).find("from 1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z") != std::string::npos);
    check_failure(client.post("/_emulator/clock", {{"now", "2027-01-01T00:00:00+99:99"}}), 400, 1400);
    CHECK(client.get("/_emulator/clock").json()["result"]["now"].get<std::string>().starts_with("2027-01-01T00:0"));
    check_failure(client.get("/_emulator/journal?since=9999-01-01T00:00:00Z"), 400, 1400);
    auto start = run_emulator({"--clock-start", "9999-01-01T00:00:00Z"});
    CHECK(start.exit_code == 2);
    CHECK(start.err.find("--clock-start: expected an RFC 3339 time from 1970") != std::string::npos);
}
