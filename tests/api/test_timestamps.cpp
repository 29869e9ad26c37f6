// Stored times read back exactly, so lifecycle timers resume from the database after a restart.
#include <doctest/doctest.h>

#include <chrono>

#include "api/custom_hostnames/timestamps.hpp"

using namespace std::chrono_literals;

namespace {
const api::TimePoint t0 = api::TimePoint{} + 1'800'000'000s;
}  // namespace

TEST_CASE("stored times read back exactly as the clock wrote them") {
    const api::TimePoint t = t0 + 123456us;
    CHECK(api::parse_rfc3339(api::rfc3339_micros(t)) == t);
    CHECK(api::parse_rfc3339(api::rfc3339_seconds(t0)) == t0);
    CHECK(api::parse_rfc3339("2026-11-30T10:00:00Z").has_value());
    CHECK_FALSE(api::parse_rfc3339("2026-02-30T10:00:00Z"));
    CHECK_FALSE(api::parse_rfc3339("2026-11-30 10:00:00Z"));
    CHECK_FALSE(api::parse_rfc3339("2026-11-30T10:00:00.12Z"));
    CHECK_FALSE(api::parse_rfc3339(""));
}
