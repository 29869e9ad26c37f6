// api::Service without a socket: routing, auth order, failure envelopes, the 500 path.
#include <doctest/doctest.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "api/envelope.hpp"
#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "api/guarded.hpp"
#include "api/service.hpp"
#include "support/service_fixture.hpp"

namespace {

using ServiceTestFixture = test_support::ServiceFixture;

nlohmann::json body_of(const api::Response& r) { return nlohmann::json::parse(r.body); }

}  // namespace

TEST_CASE("routing: unknown path 404/10404, wrong method 405 with Allow, before auth") {
    ServiceTestFixture f;
    auto unknown = f.call("GET", "/client/v4/nope", {}, {});
    CHECK(unknown.status == 404);
    REQUIRE(body_of(unknown)["errors"].size() == 1);
    CHECK(body_of(unknown)["errors"][0]["code"] == 10404);
    CHECK(body_of(unknown)["errors"][0]["message"] == "No route for that URI");

    auto wrong = f.call("PUT", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs", {}, {});
    CHECK(wrong.status == 405);
    CHECK(wrong.header("Allow") == std::optional<std::string_view>("GET, POST"));
    CHECK(body_of(wrong)["success"] == false);
}

TEST_CASE("a trailing slash and the /client/v4 prefix reach the same route") {
    ServiceTestFixture f;
    CHECK(f.call("GET", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs/").status == 200);
    CHECK(f.call("GET", "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs").status == 200);
    CHECK(f.call("GET", "/client/v4x/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs").status == 404);
}

TEST_CASE("guarded turns an unexpected exception into 500/1500 and an error log line") {
    ServiceTestFixture f;
    std::string logged;
    f.context.log = [&](api::LogLevel level, std::string_view event, const api::LogFields& fields) {
        CHECK(level == api::LogLevel::error);
        logged = std::string(event);
        for (const auto& [k, v] : fields) logged += " " + k + "=" + v;
    };
    api::RequestLabel label{"abc", "GET", "/boom"};
    auto response = api::guarded(f.context, label, []() -> api::Response { throw std::runtime_error("disk on fire"); });
    CHECK(response.status == 500);
    CHECK(body_of(response)["errors"][0]["code"] == 1500);
    CHECK(body_of(response)["errors"][0]["message"] == "Internal Server Error");
    CHECK(body_of(response)["result"].is_null());
    CHECK(logged.find("unhandled_exception") != std::string::npos);
    CHECK(logged.find("request_id=abc") != std::string::npos);
    CHECK(logged.find("disk on fire") != std::string::npos);
}

TEST_CASE("pagination values: clamped into range, non-numbers refused") {
    ServiceTestFixture f;
    auto info = [&](const std::string& query) { return body_of(f.call("GET", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs?" + query))["result_info"]; };
    CHECK(info("per_page=1")["per_page"] == 5);
    CHECK(info("per_page=500")["per_page"] == 50);
    CHECK(info("page=0")["page"] == 1);
    CHECK(info("page=-3")["page"] == 1);
    CHECK(info("")["per_page"] == 20);
    CHECK(body_of(f.call("GET", "/accounts/01a7362d577a6c3019a474fd6f485823/custom_csrs"))["result_info"]["per_page"] == 50);
    auto bad = f.call("GET", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs?page=two");
    CHECK(bad.status == 400);
    CHECK(body_of(bad)["errors"][0]["code"] == 1400);
    CHECK(f.call("GET", "/accounts/01a7362d577a6c3019a474fd6f485823/custom_csrs?order=size").status == 400);
    CHECK(f.call("GET", "/accounts/01a7362d577a6c3019a474fd6f485823/custom_csrs?direction=up").status == 400);
}

TEST_CASE("envelope: success, list and failure shapes") {
    auto ok = api::success({{"id", "x"}}, 201);
    CHECK(ok.status == 201);
    CHECK(ok.header("Content-Type") == std::optional<std::string_view>("application/json"));
    auto b = body_of(ok);
    CHECK(b["success"] == true);
    CHECK(b["errors"] == nlohmann::json::array());
    CHECK(b["messages"] == nlohmann::json::array());
    CHECK(b["result"]["id"] == "x");

    auto list = body_of(api::success_list(nlohmann::json::array({1, 2}), {2, 5, 2, 7}));
    CHECK(list["result_info"] == nlohmann::json{{"page", 2}, {"per_page", 5}, {"count", 2}, {"total_count", 7}, {"total_pages", 2}});

    auto invalid_utf8 = api::success(std::string("\xff\xfe"));
    CHECK_NOTHROW(body_of(invalid_utf8));
}

TEST_CASE("every 409 tells SDKs not to retry (x-should-retry: false)") {
    auto conflict = api::failure(api::ApiError(api::ErrorSpec{409, 1406, "Duplicate custom hostname found."}));
    CHECK(conflict.status == 409);
    CHECK(conflict.header("x-should-retry") == std::optional<std::string_view>("false"));
    auto bad = api::failure(api::ApiError(api::ErrorSpec{400, 1400, "x"}));
    CHECK_FALSE(bad.header("x-should-retry"));
}

namespace {

// `depth` nested arrays: "[[[...]]]".
std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("a body nested 140,000 levels deep is refused with 1400, not a stack overflow") {
    ServiceTestFixture f;
    const std::string deep = nested_arrays(140'000);
    auto refused = [&](const std::string& path, const std::string& body, const std::string& method = "POST") {
        auto r = f.call(method, path, body);
        CHECK(r.status == 400);
        CHECK(body_of(r)["errors"][0]["code"] == 1400);
        CHECK(body_of(r)["errors"][0]["message"].get<std::string>().find("nested deeper than 64 levels") != std::string::npos);
    };
    SUBCASE("in ssl (custom hostnames)") {
        refused("/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_hostnames", R"({"hostname": "app.acme.io", "ssl": )" + deep + "}");
    }
    SUBCASE("in ssl.settings (custom hostnames)") {
        refused("/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_hostnames", R"({"hostname": "app.acme.io", "ssl": {"settings": )" + deep + "}}");
    }
    SUBCASE("in geo_restrictions (custom certificates)") {
        refused("/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_certificates", R"({"certificate": "PEM", "geo_restrictions": )" + deep + "}");
    }
    SUBCASE("in a CSR body, and in an edit") {
        refused("/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs", R"({"sans": )" + deep + "}");
        refused("/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_hostnames/7b163417-1d2b-4c84-a38a-2fb7a0cd7752", R"({"ssl": )" + deep + "}", "PATCH");
    }
    // (custom_metadata values are free strings; custom_origin_sni, used here before, is now a DNS name.)
    SUBCASE("brackets inside strings do not count; up to 64 levels the body is read as usual") {
        auto r = f.call("POST", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_hostnames",
                        R"({"hostname": "app.acme.io", "custom_metadata": {"k": ")" + deep + R"("}})");
        CHECK(r.status == 201);
        std::string at_limit = R"({"hostname": "deep.acme.io", "x": )" + nested_arrays(api::max_body_depth - 1) + "}";
        CHECK(f.call("POST", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_hostnames", at_limit).status == 201);
        std::string past = R"({"hostname": "deeper.acme.io", "x": )" + nested_arrays(api::max_body_depth) + "}";
        CHECK(f.call("POST", "/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_hostnames", past).status == 400);
    }
}
