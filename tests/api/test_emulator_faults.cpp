// Fault rules: which requests they hit, how often, and that a seed replays the dice.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/fault_routes.hpp"
#include "api/emulator/faults.hpp"
#include "support/route_call.hpp"

using api::emulator::FaultAction;
using api::emulator::FaultRule;
using api::emulator::FaultRules;
using api::emulator::path_matches;

namespace {

FaultRule rule(std::string method, std::string path) {
    FaultRule r;
    r.match.method = std::move(method);
    r.match.path = std::move(path);
    r.action.status = 503;
    r.action.code = 1500;
    return r;
}

}  // namespace

TEST_CASE("path patterns: literals, * and {param} for one segment, ** for any") {
    CHECK(path_matches("/zones/*/custom_csrs", "/zones/abc/custom_csrs"));
    CHECK(path_matches("/zones/{zone_id}/custom_csrs", "/client/v4/zones/abc/custom_csrs"));
    CHECK(path_matches("/client/v4/zones/*/custom_csrs", "/zones/abc/custom_csrs/"));
    CHECK_FALSE(path_matches("/zones/*/custom_csrs", "/zones/abc/custom_csrs/id"));
    CHECK_FALSE(path_matches("/zones/*/custom_csrs", "/zones/custom_csrs"));
    CHECK(path_matches("/zones/**", "/zones/abc/custom_hostnames/x"));
    CHECK(path_matches("/**/custom_hostnames/*", "/zones/abc/custom_hostnames/x"));
    CHECK(path_matches("/**", "/"));
    CHECK_FALSE(path_matches("/zones/**/fallback_origin", "/zones/abc/custom_hostnames"));
}

TEST_CASE("a rule fires on its method, path and zone, at most `times` times") {
    FaultRules faults(1);
    auto r = rule("POST", "/zones/*/custom_csrs");
    r.match.zone_id = "z1";
    r.times = 2;
    auto added = faults.add(r);
    CHECK(added.id == 1);

    CHECK_FALSE(faults.decide("GET", "/zones/z1/custom_csrs", "z1"));
    CHECK_FALSE(faults.decide("POST", "/zones/z2/custom_csrs", "z2"));
    auto hit = faults.decide("POST", "/client/v4/zones/z1/custom_csrs", "z1");
    REQUIRE(hit);
    CHECK(hit->status == 503);
    CHECK(faults.decide("POST", "/zones/z1/custom_csrs", "z1"));
    CHECK_FALSE(faults.decide("POST", "/zones/z1/custom_csrs", "z1"));  // spent
    CHECK(faults.list().front().fired == 2);

    auto response = api::emulator::fault_response(*hit);
    CHECK(response.status == 503);
    CHECK(test_support::json_body(response)["errors"][0]["code"] == 1500);
}

TEST_CASE("probability: a seed replays the same faults; rough rate holds") {
    auto run = [](std::uint64_t seed) {
        FaultRules faults(seed);
        auto r = rule("*", "/**");
        r.probability = 0.3;
        faults.add(r);
        std::string pattern;
        for (int i = 0; i < 1000; ++i) pattern += faults.decide("GET", "/zones/z/custom_csrs", "z") ? '1' : '0';
        return pattern;
    };
    auto a = run(99);
    CHECK(a == run(99));
    CHECK(a != run(100));
    auto hits = std::count(a.begin(), a.end(), '1');
    CHECK(hits > 230);
    CHECK(hits < 370);
}

TEST_CASE("rules from JSON, and the /_emulator/faults routes") {
    FaultRules faults(5);
    test_support::RouteFixture f;
    api::emulator::add_fault_routes(f.router, faults);

    auto added = f.call("POST", "/_emulator/faults",
                        R"({"method":"get","path":"/zones/*/custom_hostnames","action":"delay","delay_ms":1500,"times":1})");
    REQUIRE(added.status == 200);
    auto result = test_support::json_body(added)["result"];
    CHECK(result["id"] == 1);
    CHECK(result["method"] == "GET");
    CHECK(result["action"] == "delay");
    CHECK(result["delay_ms"] == 1500);
    auto delay = faults.decide("GET", "/zones/z/custom_hostnames", "z");
    REQUIRE(delay);
    CHECK(delay->kind == FaultAction::Kind::delay);
    CHECK(delay->delay == std::chrono::milliseconds(1500));

    CHECK(f.call("POST", "/_emulator/faults", R"({"action":"drop"})").status == 200);
    CHECK(test_support::json_body(f.call("GET", "/_emulator/faults"))["result"].size() == 2);
    CHECK(f.call("DELETE", "/_emulator/faults/2").status == 200);
    CHECK(f.call("DELETE", "/_emulator/faults/2").status == 404);
    CHECK(f.call("DELETE", "/_emulator/faults/x").status == 404);
    CHECK(f.call("DELETE", "/_emulator/faults").status == 200);
    CHECK(faults.list().empty());

    SUBCASE("bad rules are refused naming the field") {
        for (const char* body : {R"({"action":"explode"})", R"({"probability":0})", R"({"probability":1.5})",
                                 R"({"action":"delay"})", R"({"status":200})", R"({"path":"zones"})",
                                 R"({"times":0})", R"({"colour":"red"})", R"([1])"}) {
            INFO(body);
            auto refused = f.call("POST", "/_emulator/faults", body);
            CHECK(refused.status == 400);
        }
        CHECK(faults.list().empty());
    }
}

TEST_CASE("a rule on the control plane, which faults never touch, is refused; so is a rule beyond the cap") {
    FaultRules faults(5);
    test_support::RouteFixture f;
    api::emulator::add_fault_routes(f.router, faults);
    for (const char* body : {R"({"path":"/_emulator/clock"})", R"({"path":"/_emulator/**"})", R"({"path":"/_emulator"})",
                             R"({"path":"/client/v4/_emulator/state"})", R"({"path":"//_emulator/journal"})"}) {
        INFO(body);
        auto refused = f.call("POST", "/_emulator/faults", body);
        CHECK(refused.status == 400);
        auto envelope = test_support::json_body(refused);
        CHECK(envelope["errors"][0]["code"] == 1400);
        CHECK(envelope["errors"][0]["message"].get<std::string>().find("never touch") != std::string::npos);
    }
    CHECK(faults.list().empty());
    // A pattern that reaches Cloudflare's routes as well is fine.
    CHECK(f.call("POST", "/_emulator/faults", R"({"path":"/**"})").status == 200);
    CHECK(f.call("POST", "/_emulator/faults", R"({"path":"/*/clock"})").status == 200);

    for (std::size_t i = faults.list().size(); i < api::emulator::max_fault_rules; ++i)
        REQUIRE(f.call("POST", "/_emulator/faults", R"({"path":"/zones/**","probability":0.5})").status == 200);
    auto over = f.call("POST", "/_emulator/faults", R"({"path":"/zones/**"})");
    CHECK(over.status == 400);
    CHECK(test_support::json_body(over)["errors"][0]["message"].get<std::string>().find("at most 1000 fault rules") !=
          std::string::npos);
    CHECK(faults.list().size() == 1000);
    // Deleting one makes room again.
    CHECK(f.call("DELETE", "/_emulator/faults/1").status == 200);
    CHECK(f.call("POST", "/_emulator/faults", R"({"path":"/zones/**"})").status == 200);
}
