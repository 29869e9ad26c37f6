// Token scopes for strict mode, and the rate limit's runtime settings route.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/rate_limit_routes.hpp"
#include "api/emulator/token_scopes.hpp"
#include "support/route_call.hpp"

using api::emulator::parse_token_scope;

TEST_CASE("--api-token TOKEN:ZONE[,ZONE…] limits a token to its zones") {
    auto scoped = parse_token_scope("tok:023e105f4ecef8ad9ca31a8372d0c353,9a7806061c88ada191ed06f989cc3dac");
    REQUIRE(scoped);
    CHECK(scoped->token == "tok");
    CHECK(scoped->zones.size() == 2);
    CHECK(parse_token_scope("open")->zones.empty());
    CHECK_FALSE(parse_token_scope(":zone"));
    CHECK_FALSE(parse_token_scope("tok:"));
    CHECK_FALSE(parse_token_scope("tok:a,,b"));

    api::emulator::TokenScopes scopes;
    scopes.add(*scoped);
    scopes.add(*parse_token_scope("open"));
    CHECK(scopes.allows("tok", "023e105f4ecef8ad9ca31a8372d0c353"));
    CHECK_FALSE(scopes.allows("tok", "ffffffffffffffffffffffffffffffff"));
    CHECK(scopes.allows("tok", ""));  // account routes
    CHECK(scopes.allows("open", "ffffffffffffffffffffffffffffffff"));
}

TEST_CASE("GET and PUT /_emulator/rate_limit") {
    api::emulator::RateLimiter limiter;
    test_support::RouteFixture f;
    api::emulator::add_rate_limit_routes(f.router, limiter);
    auto initial = test_support::json_body(f.call("GET", "/_emulator/rate_limit"))["result"];
    CHECK(initial == nlohmann::json({{"enabled", false}, {"quota", 1200}, {"window_seconds", 300}}));

    auto changed = f.call("PUT", "/_emulator/rate_limit", R"({"enabled": true, "quota": 5})");
    CHECK(changed.status == 200);
    CHECK(limiter.enabled());
    CHECK(limiter.settings().quota == 5);
    CHECK(limiter.settings().window == std::chrono::seconds(300));

    CHECK(f.call("PUT", "/_emulator/rate_limit", R"({"quota": 0})").status == 400);
    CHECK(f.call("PUT", "/_emulator/rate_limit", R"({"window": 10})").status == 400);
    CHECK(f.call("PUT", "/_emulator/rate_limit", R"({"enabled": "yes"})").status == 400);
    CHECK(limiter.settings().quota == 5);
}
