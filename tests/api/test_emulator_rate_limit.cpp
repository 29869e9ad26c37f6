// Cloudflare's rate limit: quota per window per credential, the 2025 headers, 429/971.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/rate_limit.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;
using api::emulator::RateLimiter;

namespace {
const api::TimePoint limit_t0 = sys_days{2027y / January / 1};
}

TEST_CASE("off by default; 1200 requests per 5 minutes when enabled") {
    CHECK_FALSE(RateLimiter().enabled());
    CHECK(RateLimiter().settings().quota == 1200);
    CHECK(RateLimiter().settings().window == seconds(300));
}

TEST_CASE("the quota counts per credential and the window reopens when it ends") {
    RateLimiter limiter({true, 3, seconds(60)});
    auto key = api::emulator::credential_key("api_token", "secret");
    auto first = limiter.check(key, limit_t0);
    CHECK(first.allowed);
    CHECK(first.remaining == 2);
    CHECK(first.reset_seconds == 60);
    CHECK(limiter.check(key, limit_t0 + 1s).allowed);
    CHECK(limiter.check(key, limit_t0 + 2s).remaining == 0);
    auto refused = limiter.check(key, limit_t0 + 10500ms);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.reset_seconds == 50);  // 49.5 s left, rounded up

    CHECK(limiter.check(api::emulator::credential_key("api_token", "other"), limit_t0 + 11s).allowed);
    CHECK(limiter.check(key, limit_t0 + 60s).allowed);  // a new window
}

TEST_CASE("credential keys never contain the secret and tell credentials apart") {
    auto key = api::emulator::credential_key("api_token", "super-secret-token");
    CHECK(key.find("secret") == std::string::npos);
    CHECK(key.size() == 16);
    CHECK(key == api::emulator::credential_key("api_token", "super-secret-token"));
    CHECK(key != api::emulator::credential_key("api_key", "super-secret-token"));
}

TEST_CASE("headers on every answer, Retry-After and 429/971 when refused") {
    RateLimiter limiter({true, 1, seconds(300)});
    auto ok = limiter.check("k", limit_t0);
    auto headers = api::emulator::rate_limit_headers(ok);
    api::Response carrier;
    carrier.headers = headers;
    CHECK(carrier.header("Ratelimit") == std::optional<std::string_view>("\"default\";r=0;t=300"));
    CHECK(carrier.header("Ratelimit-Policy") == std::optional<std::string_view>("\"default\";q=1;w=300"));
    CHECK_FALSE(carrier.header("Retry-After"));

    auto refused = api::emulator::rate_limited_response(limiter.check("k", limit_t0 + 100s));
    CHECK(refused.status == 429);
    CHECK(refused.header("Retry-After") == std::optional<std::string_view>("200"));
    CHECK(refused.header("Ratelimit") == std::optional<std::string_view>("\"default\";r=0;t=200"));
    auto body = test_support::json_body(refused);
    CHECK(body["errors"][0]["code"] == 971);
    CHECK(body["errors"][0]["message"] == "Please wait and consider throttling your request speed");
    CHECK(body["success"] == false);
}
