// The control plane as Service will use it: settings applied, one observe() per request feeding
// journal and metrics, all routes registered.
#include <doctest/doctest.h>

#include "api/emulator/control_plane.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;

TEST_CASE("settings: seed, start time, journal size, rate limit") {
    api::emulator::ControlPlaneSettings settings;
    settings.seed = 11;
    settings.start_time = sys_days{2027y / January / 1};
    settings.journal_capacity = 2;
    settings.rate_limit.enabled = true;
    api::emulator::ControlPlane a(settings), b(settings);
    CHECK(a.ids.uuid() == b.ids.uuid());
    CHECK(a.clock.now() >= *settings.start_time);
    CHECK(a.clock.now() < *settings.start_time + minutes(1));
    CHECK(a.journal.capacity() == 2);
    CHECK(a.rate_limiter.enabled());
}

TEST_CASE("observe() journals the request redacted and counts it by route template") {
    api::emulator::ControlPlane control({});
    api::Request request;
    request.method = "POST";
    request.path = "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_certificates";
    request.headers = {{"Authorization", "Bearer secret-token"}};
    request.body = R"({"certificate":"C","private_key":"-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----"})";
    api::Response response;
    response.status = 400;
    response.body = R"({"success":false,"errors":[{"code":1212,"message":"x"}],"messages":[],"result":null})";
    control.observe(request, response, "/zones/{zone_id}/custom_certificates", control.clock.now(), milliseconds(7));

    auto entries = control.journal.query({});
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].credential_kind == "api_token");
    CHECK(entries[0].error_codes == std::vector<int>{1212});
    CHECK(entries[0].request_body.find("BEGIN PRIVATE KEY") == std::string::npos);
    auto text = control.metrics.render();
    CHECK(text.find(R"(csr_emulator_http_requests_total{method="POST",route="/zones/{zone_id}/custom_certificates",status="400"} 1)") !=
          std::string::npos);
    CHECK(text.find("csr_emulator_journal_entries 1") != std::string::npos);
    CHECK(text.find("secret-token") == std::string::npos);
}

TEST_CASE("add_control_plane_routes registers every route") {
    api::emulator::ControlPlane control({});
    test_support::RouteFixture f;
    api::emulator::add_control_plane_routes(f.router, control);
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/_emulator/clock"}, {"GET", "/_emulator/journal"}, {"DELETE", "/_emulator/journal"},
             {"GET", "/_emulator/faults"}, {"DELETE", "/_emulator/faults"}, {"GET", "/_emulator/rate_limit"},
             {"GET", "/_emulator/metrics"}}) {
        INFO(method << " " << path);
        CHECK(f.call(method, path).status == 200);
    }
}
