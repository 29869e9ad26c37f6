// The control-plane clock: settable, advanceable, and still flowing afterwards.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/clock.hpp"
#include "api/emulator/clock_routes.hpp"
#include "api/emulator/control_plane.hpp"
#include "api/time_text.hpp"
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
    using api::parse_duration;
    using api::parse_rfc3339;
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

TEST_CASE("instants outside 1970..2199 and offsets beyond 23:59 are refused, not wrapped") {
    using api::parse_rfc3339;
    // 9999 wrapped to 1816 in the clock's 64-bit nanoseconds; years before 1678 wrap as well.
    for (const char* text : {"9999-12-31T00:00:00Z", "2262-04-12T00:00:00Z", "2200-01-01T00:00:00Z",
                             "2199-12-31T23:00:00-01:00", "1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00",
                             "0001-01-01T00:00:00Z", "1600-01-01T00:00:00Z"}) {
        INFO(text);
        CHECK_FALSE(parse_rfc3339(text));
    }
    for (const char* text : {"2027-01-01T00:00:00+99:99", "2027-01-01T00:00:00+24:00", "2027-01-01T00:00:00-00:60",
                             "2027-01-01T00:00:00+23:60"}) {
        INFO(text);
        CHECK_FALSE(parse_rfc3339(text));
    }
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == api::earliest_instant());
    CHECK(parse_rfc3339("2199-12-31T23:59:59.999999999Z") == api::latest_instant());
    CHECK(parse_rfc3339("2027-01-01T23:59:00+23:59") == api::TimePoint(sys_days{2027y / January / 1}));
    CHECK(parse_rfc3339("2027-01-01T00:00:00-23:59") == api::TimePoint(sys_days{2027y / January / 1} + 23h + 59min));
}

TEST_CASE("the clock refuses to be set or advanced outside its range, and stays where it was") {
    FakeReal real;
    Clock clock(real.source());
    CHECK_FALSE(clock.set(api::TimePoint(sys_days{1969y / December / 31})));
    CHECK_FALSE(clock.set(api::latest_instant() + 1ns));
    CHECK(clock.now() == real.t);
    CHECK(clock.set(api::TimePoint(sys_days{2199y / December / 31})));
    CHECK_FALSE(clock.advance(hours(24)));
    CHECK(clock.now() == api::TimePoint(sys_days{2199y / December / 31}));
    CHECK(clock.advance(hours(23)));

    test_support::RouteFixture f;
    api::emulator::add_clock_routes(f.router, clock);
    auto expect_refused = [&](const std::string& body, const std::string& message_part) {
        INFO(body);
        auto before = clock.now();
        auto r = f.call("POST", "/_emulator/clock", body);
        CHECK(r.status == 400);
        auto envelope = test_support::json_body(r);
        CHECK(envelope["errors"][0]["code"] == 1400);
        CHECK(envelope["errors"][0]["message"].get<std::string>().find(message_part) != std::string::npos);
        CHECK(clock.now() == before);
    };
    clock.set(api::TimePoint(sys_days{2027y / January / 1}));
    expect_refused(R"({"now": "9999-12-31T00:00:00Z"})", "from 1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z");
    expect_refused(R"({"now": "2027-01-01T00:00:00+99:99"})", "at most 23:59");
    expect_refused(R"({"advance": "200000d"})", "past 2199");
    expect_refused(R"({"now": "2190-01-01T00:00:00Z", "advance": "3653d"})", "would pass 2199");
    expect_refused(R"({"advance": "365000d"})", "past 2199");  // a thousand years: wrapped in nanoseconds
    expect_refused(R"({"reset": true, "advance": "100000d"})", "would pass 2199");
    CHECK(f.call("POST", "/_emulator/clock", R"({"now": "2199-12-31T23:59:59Z"})").status == 200);
}

TEST_CASE("journal since/until share the clock's parsing: out of range and bad offsets are refused") {
    api::emulator::ControlPlane control({});
    test_support::RouteFixture f;
    api::emulator::add_control_plane_routes(f.router, control);
    CHECK(f.call("GET", "/_emulator/journal?since=2027-01-01T00:00:00Z&until=2199-01-01T00:00:00%2B01:00").status == 200);
    for (const char* query : {"since=9999-01-01T00:00:00Z", "until=9999-01-01T00:00:00Z", "since=1969-07-20T20:17:00Z",
                              "until=2027-01-01T00:00:00%2B99:99", "since=2027-01-01T00:00:00-24:00"}) {
        INFO(query);
        auto r = f.call("GET", std::string("/_emulator/journal?") + query);
        CHECK(r.status == 400);
        CHECK(test_support::json_body(r)["errors"][0]["code"] == 1400);
    }
}
