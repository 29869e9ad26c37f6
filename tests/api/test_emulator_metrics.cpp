// /_emulator/metrics in Prometheus text exposition format 0.0.4.
#include <doctest/doctest.h>

#include "api/emulator/metrics.hpp"
#include "api/emulator/metrics_routes.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;
using api::emulator::Metrics;

namespace {
bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}
}  // namespace

TEST_CASE("counters by route template and status, a histogram with cumulative buckets") {
    Metrics metrics;
    metrics.observe("GET", "/zones/{zone_id}/custom_csrs", 200, milliseconds(3));
    metrics.observe("GET", "/zones/{zone_id}/custom_csrs", 200, milliseconds(40));
    metrics.observe("POST", "/zones/{zone_id}/custom_csrs", 400, seconds(20));
    auto text = metrics.render();
    INFO(text);
    CHECK(has_line(text, "# HELP csr_emulator_http_requests_total Requests answered, by method, route template and status."));
    CHECK(has_line(text, "# TYPE csr_emulator_http_requests_total counter"));
    CHECK(has_line(text, R"(csr_emulator_http_requests_total{method="GET",route="/zones/{zone_id}/custom_csrs",status="200"} 2)"));
    CHECK(has_line(text, R"(csr_emulator_http_requests_total{method="POST",route="/zones/{zone_id}/custom_csrs",status="400"} 1)"));
    CHECK(has_line(text, "# TYPE csr_emulator_http_request_duration_seconds histogram"));
    const std::string b = R"(csr_emulator_http_request_duration_seconds_bucket{route="/zones/{zone_id}/custom_csrs",le=)";
    CHECK(has_line(text, b + R"("0.005"} 1)"));
    CHECK(has_line(text, b + R"("0.025"} 1)"));
    CHECK(has_line(text, b + R"("0.05"} 2)"));
    CHECK(has_line(text, b + R"("10"} 2)"));
    CHECK(has_line(text, b + R"("+Inf"} 3)"));
    CHECK(has_line(text, R"(csr_emulator_http_request_duration_seconds_count{route="/zones/{zone_id}/custom_csrs"} 3)"));
    CHECK(has_line(text, R"(csr_emulator_http_request_duration_seconds_sum{route="/zones/{zone_id}/custom_csrs"} 20.043)"));
    CHECK(text.ends_with("\n"));
}

TEST_CASE("gauges are read at render time; label values are escaped") {
    Metrics metrics;
    int ready = 3;
    metrics.add_gauge("csr_emulator_key_pool_ready", "Keys generated ahead and waiting.", [&] { return ready; });
    metrics.add_gauge_family("csr_emulator_table_rows", "Rows per table.", [] {
        return api::emulator::GaugeSamples{{{{"table", "custom_csrs"}}, 2}, {{{"table", "a\"b\\c\nd"}}, 0.5}};
    });
    ready = 5;
    auto text = metrics.render();
    INFO(text);
    CHECK(has_line(text, "# TYPE csr_emulator_key_pool_ready gauge"));
    CHECK(has_line(text, "csr_emulator_key_pool_ready 5"));
    CHECK(has_line(text, R"(csr_emulator_table_rows{table="custom_csrs"} 2)"));
    CHECK(has_line(text, R"(csr_emulator_table_rows{table="a\"b\\c\nd"} 0.5)"));
}

TEST_CASE("GET /_emulator/metrics answers text/plain; version=0.0.4") {
    Metrics metrics;
    test_support::RouteFixture f;
    api::emulator::add_metrics_routes(f.router, metrics);
    auto response = f.call("GET", "/_emulator/metrics");
    CHECK(response.status == 200);
    CHECK(response.header("Content-Type") == std::optional<std::string_view>("text/plain; version=0.0.4; charset=utf-8"));
    CHECK(response.body.find("# TYPE csr_emulator_http_requests_total counter") != std::string::npos);
}
