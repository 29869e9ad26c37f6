// The web console's files (api/emulator/console_routes.hpp) and its read-only inspection routes
// (api/emulator/inspection_routes.hpp), through Service.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/emulator/console_assets.hpp"
#include "api/emulator/control_plane.hpp"
#include "api/service.hpp"
#include "crypto/emulator_ca.hpp"
#include "support/api_request.hpp"
#include "support/context_fixture.hpp"

using nlohmann::json;

namespace {

struct ConsoleFixture : test_support::ContextFixture {
    api::emulator::ControlPlane control;
    api::Service service{context, control};

    explicit ConsoleFixture(std::optional<std::string> control_token = std::nullopt) : control(settings(control_token)) {
        api::emulator::attach(control, context);
    }
    static api::emulator::ControlPlaneSettings settings(std::optional<std::string> control_token) {
        api::emulator::ControlPlaneSettings settings;
        settings.access = {control_token, {}, "127.0.0.1"};
        return settings;
    }
    api::Response get(const std::string& path, api::HeaderList headers = {}) {
        headers.emplace_back("Host", "127.0.0.1:8790");
        return service.handle_and_wait(test_support::api_request("GET", path, "", std::move(headers)));
    }
};

}  // namespace

TEST_CASE("the console's files are compiled in: the page, its script and its style, each with its type") {
    std::vector<std::string> paths;
    for (const auto& asset : api::emulator::console_assets()) {
        paths.emplace_back(asset.path);
        CHECK(!asset.body.empty());
        CHECK(asset.etag.size() == 66);  // a quoted SHA-256 in hex
    }
    CHECK(paths == std::vector<std::string>{"/_emulator/ui/", "/_emulator/ui/console.css", "/_emulator/ui/console.js"});
}

TEST_CASE("GET /_emulator/ui/ serves the page; an unchanged one is a 304; other names are 404") {
    ConsoleFixture f;
    auto page = f.get("/_emulator/ui/");
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.header("Cache-Control") == "no-cache");
    CHECK(page.header("X-Content-Type-Options") == "nosniff");
    CHECK(page.header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(page.body.find("<script src=\"/_emulator/ui/console.js\"") != std::string::npos);
    CHECK(f.get("/_emulator/ui").status == 200);  // the same route without the slash
    auto etag = std::string(*page.header("ETag"));
    auto again = f.get("/_emulator/ui/", {{"If-None-Match", etag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(f.get("/_emulator/ui/console.js", {{"If-None-Match", etag}}).status == 200);  // another file's tag
    CHECK(f.get("/_emulator/ui/secrets.json").status == 404);
}

TEST_CASE("with a control token the console's files need none; what the page reads still does") {
    ConsoleFixture f("control-secret");
    CHECK(f.get("/_emulator/ui/").status == 200);
    CHECK(f.get("/_emulator/ui/console.js").status == 200);
    CHECK(f.get("/_emulator/state").status == 401);
    CHECK(f.get("/_emulator/ui/nothing").status == 401);  // an unknown name learns nothing of the routes
    CHECK(f.get("/_emulator/state", {{"Authorization", "Bearer control-secret"}}).status == 200);
}

TEST_CASE("the inspection routes answer 404 / 1404 for an unknown hostname or CSR") {
    ConsoleFixture f;
    const std::string zone = "/_emulator/zones/023e105f4ecef8ad9ca31a8372d0c353";
    for (const auto& path : {zone + "/custom_hostnames/5f1f5f6a-0d7c-4d6e-9a55-6a1b8e0a1c01/timeline",
                             zone + "/custom_hostnames/not-an-id/timeline",
                             zone + "/custom_csrs/5f1f5f6a-0d7c-4d6e-9a55-6a1b8e0a1c01/decoded",
                             std::string("/_emulator/accounts/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs/x/decoded")}) {
        INFO(path);
        auto response = f.get(path);
        CHECK(response.status == 404);
        CHECK(json::parse(response.body)["errors"][0]["code"] == 1404);
    }
}

TEST_CASE("GET /_emulator/certificates lists the certificates held, each leaf's names and validity") {
    ConsoleFixture f;
    auto none = json::parse(f.get("/_emulator/certificates").body);
    CHECK(none["result"] == json::array());  // no CA made in this context, nothing uploaded
    f.context.emulator_ca = crypto::create_emulator_ca(1798761600);  // 2027-01-01T00:00:00Z
    auto listed = json::parse(f.get("/_emulator/certificates").body)["result"];
    REQUIRE(listed.size() == 2);
    CHECK(listed[0]["kind"] == "test_ca");
    CHECK(listed[0]["owner"] == "root");
    CHECK(listed[1]["owner"] == "intermediate");
    // Valid from an hour before, for 20 and 10 years.
    CHECK(listed[0]["not_before"] == "2026-12-31T23:00:00Z");
    CHECK(listed[0]["not_after"].get<std::string>().starts_with("2046-12-"));
    CHECK(listed[1]["not_after"].get<std::string>().starts_with("2036-12-"));
    CHECK(listed[1]["issuer"].get<std::string>().starts_with("csr-emulator Test Root CA "));
}
