// The control-plane clock: settable, advanceable, and still flowing afterwards.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/clock.hpp"
#include "api/emulator/clock_routes.hpp"
#include "api/emulator/time_text.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;
using api::emulator::Clock;

namespace {

// A hand-driven "real" clock, so flow after set() is observable without sleeping.
struct FakeReal {
    api::TimePoint t = sys_days{2026y / November / 30} + 12h;
    Clock::Source source() {
        return [this] { return t; };
    }
};

}  // namespace

TEST_CASE("the clock reads real time until set, then keeps flowing from the instant set") {
    FakeReal real;
    Clock clock(real.source());
    CHECK(clock.now() == real.t);

    auto instant = sys_days{2027y / January / 1} + 0h;
    clock.set(instant);
    CHECK(clock.now() == instant);
    real.t += 5s;
    CHECK(clock.now() == instant + 5s);

    clock.advance(hours(24 * 90));
    CHECK(clock.now() == instant + 5s + hours(24 * 90));

    clock.reset();
    CHECK(clock.now() == real.t);
}

TEST_CASE("RFC 3339 and durations as a test suite writes them") {
    using api::emulator::parse_duration;
    using api::emulator::parse_rfc3339;
    CHECK(parse_rfc3339("2027-01-01T00:00:00Z") == api::TimePoint(sys_days{2027y / January / 1}));
    CHECK(parse_rfc3339("2027-01-01T02:00:00+02:00") == api::TimePoint(sys_days{2027y / January / 1}));
    CHECK(parse_rfc3339("2027-01-01T00:00:00.25Z") == api::TimePoint(sys_days{2027y / January / 1} + 250ms));
    CHECK_FALSE(parse_rfc3339("2027-01-01T00:00:00"));   // no offset
    CHECK_FALSE(parse_rfc3339("2027-02-30T00:00:00Z"));  // no such day
    CHECK_FALSE(parse_rfc3339("tomorrow"));

    CHECK(parse_duration("90d") == milliseconds(hours(24 * 90)));
    CHECK(parse_duration("36h") == milliseconds(hours(36)));
    CHECK(parse_duration("15m") == milliseconds(minutes(15)));
    CHECK(parse_duration("3600") == milliseconds(hours(1)));
    CHECK(parse_duration("250ms") == milliseconds(250));
    CHECK_FALSE(parse_duration("-1h"));
    CHECK_FALSE(parse_duration("1w"));
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("99999999999999999d"));
}

TEST_CASE("GET and POST /_emulator/clock") {
    FakeReal real;
    Clock clock(real.source());
    test_support::RouteFixture f;
    api::emulator::add_clock_routes(f.router, clock);

    auto set = f.call("POST", "/_emulator/clock", R"({"now": "2027-01-01T00:00:00Z", "advance": "36h"})");
    CHECK(set.status == 200);
    CHECK(test_support::json_body(set)["result"]["now"] == "2027-01-02T12:00:00.000000Z");

    CHECK(f.call("POST", "/_emulator/clock", R"({"advance": 60})").status == 200);
    CHECK(test_support::json_body(f.call("GET", "/_emulator/clock"))["result"]["now"] == "2027-01-02T12:01:00.000000Z");

    SUBCASE("a bad field changes nothing, even when another field was good") {
        auto bad = f.call("POST", "/_emulator/clock", R"({"now": "2030-01-01T00:00:00Z", "advance": "-5m"})");
        CHECK(bad.status == 400);
        CHECK(test_support::json_body(bad)["errors"][0]["code"] == 1400);
        CHECK(clock.now() == api::TimePoint(sys_days{2027y / January / 2} + 12h + 1min));
    }
    SUBCASE("reset returns to real time") {
        CHECK(f.call("POST", "/_emulator/clock", R"({"reset": true})").status == 200);
        CHECK(clock.now() == real.t);
    }
    SUBCASE("an empty request is refused") { CHECK(f.call("POST", "/_emulator/clock", "{}").status == 400); }
}
