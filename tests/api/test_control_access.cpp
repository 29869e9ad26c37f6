// Who may talk to the API listener (api/emulator/control_access.hpp), through Service: the Host
// names served (DNS rebinding), a foreign Origin (a page on another site), the control token
// (strict mode closes the control plane without one) and JSON-only control writes (CSRF).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/control_access.hpp"
#include "api/emulator/control_plane.hpp"
#include "api/key_pool.hpp"
#include "api/service.hpp"
#include "storage/database.hpp"
#include "support/api_request.hpp"
#include "support/context_fixture.hpp"

using api::emulator::ControlAccess;
using api::emulator::ControlAccessSettings;
using nlohmann::json;

namespace {

const std::string zone_csrs = "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs";

struct AccessFixture : test_support::ContextFixture {
    api::emulator::ControlPlane control;
    api::Service service{context, control};

    explicit AccessFixture(ControlAccessSettings access = {}, std::vector<std::string> api_tokens = {})
        : control(settings_with(std::move(access))) {
        context.auth.api_tokens = std::move(api_tokens);
        api::emulator::attach(control, context);
    }
    static api::emulator::ControlPlaneSettings settings_with(ControlAccessSettings access) {
        api::emulator::ControlPlaneSettings settings;
        settings.access = std::move(access);
        return settings;
    }

    api::Response call(std::string method, std::string path, std::string body, api::HeaderList headers) {
        return service.handle_and_wait(
            test_support::api_request(std::move(method), path, std::move(body), std::move(headers)));
    }
};

void check_refusal(const api::Response& response, int status, int code, const std::string& message_part) {
    INFO(response.body);
    CHECK(response.status == status);
    auto body = json::parse(response.body);
    CHECK(body["success"] == false);
    CHECK(body["result"].is_null());
    REQUIRE(body["errors"].size() == 1);
    CHECK(body["errors"][0]["code"] == code);
    CHECK(body["errors"][0]["message"].get<std::string>().find(message_part) != std::string::npos);
}

const api::HeaderList local = {{"Host", "127.0.0.1:8790"}};

api::HeaderList with(api::HeaderList base, api::HeaderList more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

std::string clock_now(AccessFixture& f) {
    return json::parse(f.call("GET", "/_emulator/clock", {}, local).body)["result"]["now"];
}

}  // namespace

TEST_CASE("Host: IP literals, localhost and configured names are served; other names get 421 / 1421") {
    ControlAccess access({std::nullopt, {"csr-emulator", "Emulator.Internal."}, "dev-box"});
    for (const char* host : {"127.0.0.1", "127.0.0.1:8790", "10.0.0.7:1", "[::1]:8790", "[::1]", "localhost",
                             "LOCALHOST:8790", "localhost.:8790", "app.localhost:8790", "csr-emulator:8790",
                             "emulator.internal", "dev-box:8790"}) {
        INFO(host);
        CHECK(access.host_allowed(host));
    }
    for (const char* host : {"evil.example", "evil.example:8790", "127.0.0.1.evil.example", "localhost.evil.example",
                             "csr-emulator.evil.example", "::1", "127.0.0.1:http", "[::1", "[not-v6]:80", ":8790"}) {
        INFO(host);
        CHECK_FALSE(access.host_allowed(host));
    }
    CHECK(ControlAccess({std::nullopt, {"*"}, "127.0.0.1"}).host_allowed("anything.example"));
    // A wildcard listen address is no name: it allows nothing beyond the literals.
    CHECK_FALSE(ControlAccess({std::nullopt, {}, "0.0.0.0"}).host_allowed("0.0.0.0.evil.example"));

    AccessFixture f;
    // Every route of the listener, the Cloudflare ones too: a rebound page must read nothing.
    for (const char* path : {"/_emulator/health", "/_emulator/state", "/client/v4/zones/x/custom_csrs"}) {
        auto refused = f.call("GET", path, {}, {{"Host", "rebind.evil.example:8790"}, {"Authorization", "Bearer t"}});
        check_refusal(refused, 421, 1421, "does not answer for host 'rebind.evil.example:8790'");
        check_refusal(refused, 421, 1421, "--allowed-host");
    }
    CHECK(f.call("GET", "/_emulator/health", {}, local).status == 200);
    CHECK(f.call("GET", "/_emulator/health", {}, {}).status == 200);  // no Host: HTTP/1.0, not a browser
}

TEST_CASE("Origin: a page on another site is refused (403 / 1403) on every route; same origin and localhost pass") {
    ControlAccess access({std::nullopt, {"console.internal"}, "127.0.0.1"});
    std::string_view host = "127.0.0.1:8790";
    CHECK(access.origin_allowed("http://127.0.0.1:8790", host));   // same origin
    CHECK(access.origin_allowed("http://localhost:3000", host));   // a local dev server
    CHECK(access.origin_allowed("http://127.0.0.2:3000", host));
    CHECK(access.origin_allowed("http://[::1]:3000", host));
    CHECK(access.origin_allowed("https://console.internal", host));
    CHECK(access.origin_allowed("http://192.168.1.5:8790", std::string_view("192.168.1.5:8790")));
    CHECK_FALSE(access.origin_allowed("https://evil.example", host));
    CHECK_FALSE(access.origin_allowed("http://203.0.113.5", host));  // an IP literal here is any site's page
    CHECK_FALSE(access.origin_allowed("null", host));                 // sandboxed frames, file: pages
    CHECK_FALSE(access.origin_allowed("chrome-extension://abc", host));
    CHECK_FALSE(access.origin_allowed("http://localhost.evil.example", host));

    AccessFixture f;
    auto evil = with(local, {{"Origin", "https://evil.example"}});
    check_refusal(f.call("GET", "/_emulator/state", {}, evil), 403, 1403, "Origin 'https://evil.example'");
    check_refusal(f.call("GET", zone_csrs, {}, with(evil, {{"Authorization", "Bearer t"}})), 403, 1403,
                  "Cross-origin request refused");
    CHECK(f.call("GET", "/_emulator/state", {}, with(local, {{"Origin", "http://127.0.0.1:8790"}})).status == 200);
}

TEST_CASE("a cross-site simple POST changes nothing: 403 with its Origin, 415 / 1415 for a simple type without") {
    AccessFixture f;
    std::string before = clock_now(f);
    std::string body = R"({"now": "2031-01-01T00:00:00Z"})";
    // What a form or fetch(no-cors) on another site sends: no preflight for these three types.
    for (const char* type : {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x"}) {
        INFO(type);
        auto from_page = f.call("POST", "/_emulator/clock", body,
                                with(local, {{"Content-Type", type}, {"Origin", "https://evil.example"}}));
        check_refusal(from_page, 403, 1403, "Cross-origin request refused");
        auto no_origin = f.call("POST", "/_emulator/clock", body, with(local, {{"Content-Type", type}}));
        check_refusal(no_origin, 415, 1415, "send Content-Type: application/json");
        check_refusal(no_origin, 415, 1415, std::string("got '") + type + "'");
    }
    check_refusal(f.call("POST", "/_emulator/clock", body, local), 415, 1415, "a body came without a Content-Type");
    check_refusal(f.call("POST", "/_emulator/reset", {}, with(local, {{"Content-Type", "text/plain"}})), 415, 1415,
                  "application/json");
    check_refusal(f.call("PUT", "/_emulator/state", "{}", with(local, {{"Content-Type", "text/plain"}})), 415, 1415,
                  "application/json");
    check_refusal(f.call("DELETE", "/_emulator/faults", "x", local), 415, 1415, "application/json");
    CHECK(clock_now(f).substr(0, 4) == before.substr(0, 4));
    CHECK(clock_now(f).substr(0, 4) != "2031");

    // JSON (parameters allowed) goes through; so does a bodiless POST or DELETE, which a page
    // on another site cannot send without its Origin.
    auto set = f.call("POST", "/_emulator/clock", body, with(local, {{"Content-Type", "Application/JSON; charset=utf-8"}}));
    CHECK(set.status == 200);
    CHECK(clock_now(f).starts_with("2031-01-01T00:00:0"));
    CHECK(f.call("DELETE", "/_emulator/faults", {}, local).status == 200);
    CHECK(f.call("POST", "/_emulator/reset", {}, local).status == 200);
    // Reads and the Cloudflare routes have no such rule (those need credentials in headers,
    // which no simple request carries).
    CHECK(f.call("GET", "/_emulator/journal", {}, with(local, {{"Content-Type", "text/plain"}})).status == 200);
}

TEST_CASE("strict mode without a control token: the control plane is closed (403 / 1403), health checks stay open") {
    AccessFixture f({}, {"api-secret"});
    auto api = with(local, {{"Authorization", "Bearer api-secret"}});
    for (const char* path : {"/_emulator/state?include_private_keys=true", "/_emulator/journal", "/_emulator/clock",
                             "/_emulator/faults", "/_emulator/metrics", "/_emulator/ca/root.pem", "/_emulator/nothing"}) {
        INFO(path);
        // Not even with an API token: the API's credential is not the control plane's.
        check_refusal(f.call("GET", path, {}, api), 403, 1403, "--control-token TOKEN (CSR_EMULATOR_CONTROL_TOKEN)");
    }
    check_refusal(f.call("POST", "/_emulator/reset", "{}", with(api, {{"Content-Type", "application/json"}})), 403, 1403,
                  "control plane is closed");
    CHECK(f.call("GET", "/_emulator/health", {}, local).status == 200);
    CHECK(f.call("GET", "/_emulator/ready", {}, local).status == 200);
    CHECK(f.call("GET", zone_csrs, {}, api).status == 200);
}

TEST_CASE("with a control token, every control route but health and ready needs Authorization: Bearer TOKEN") {
    for (bool strict : {true, false}) {
        INFO("strict: " << strict);
        AccessFixture f({"control-secret", {}, "127.0.0.1"}, strict ? std::vector<std::string>{"api-secret"}
                                                              : std::vector<std::string>{});
        auto missing = f.call("GET", "/_emulator/state?include_private_keys=true", {}, local);
        check_refusal(missing, 401, 1401, "Authorization: Bearer");
        CHECK(missing.header("WWW-Authenticate").value_or("").starts_with("Bearer realm="));
        check_refusal(f.call("GET", "/_emulator/state", {}, with(local, {{"Authorization", "Bearer control-secre"}})), 401,
                      1401, "--control-token");
        check_refusal(f.call("GET", "/_emulator/state", {}, with(local, {{"Authorization", "Bearer control-secret2"}})),
                      401, 1401, "--control-token");
        check_refusal(f.call("GET", "/_emulator/state", {}, with(local, {{"Authorization", "Bearer api-secret"}})), 401,
                      1401, "--control-token");
        check_refusal(f.call("GET", "/_emulator/state", {}, with(local, {{"X-Auth-Key", "control-secret"}})), 401, 1401,
                      "--control-token");
        auto control = with(local, {{"Authorization", "bearer control-secret"}});
        auto state = f.call("GET", "/_emulator/state?include_private_keys=true", {}, control);
        CHECK(state.status == 200);
        CHECK(f.call("POST", "/_emulator/clock", R"({"advance": "1d"})", with(control, {{"Content-Type", "application/json"}}))
                  .status == 200);
        // The credential comes first: without it, even a wrong Content-Type learns nothing more.
        check_refusal(f.call("POST", "/_emulator/clock", "x", with(local, {{"Content-Type", "text/plain"}})), 401, 1401,
                      "Authorization");
        CHECK(f.call("GET", "/_emulator/health", {}, local).status == 200);
        CHECK(f.call("GET", "/_emulator/ready", {}, local).status == 200);
    }
}

TEST_CASE("permissive mode without a control token: the control plane stays open as before") {
    AccessFixture f;
    CHECK(f.call("GET", "/_emulator/state?include_private_keys=true", {}, local).status == 200);
    CHECK(f.call("POST", "/_emulator/reset", "{}", with(local, {{"Content-Type", "application/json"}})).status == 200);
}

TEST_CASE("is_json_content_type") {
    using api::emulator::is_json_content_type;
    CHECK(is_json_content_type("application/json"));
    CHECK(is_json_content_type("application/json; charset=utf-8"));
    CHECK(is_json_content_type(" APPLICATION/JSON ;charset=utf-8"));
    CHECK_FALSE(is_json_content_type("application/jsonx"));
    CHECK_FALSE(is_json_content_type("text/plain; application/json"));
    CHECK_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
    CHECK_FALSE(is_json_content_type(""));
}
