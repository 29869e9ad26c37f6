// Issue #25: stored JSON text is read back with a bound. A database written by an older binary
// (which seeded JSON columns unchecked) or edited by hand may hold a hostname whose ssl_settings
// nests 200,000 levels deep, or text that is not JSON: reading it used to crash the server
// (SIGSEGV, copying the value recursed once per level) or answer a lasting 500 for the zone.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/stored_json.hpp"
#include "storage/database.hpp"
#include "support/service_fixture.hpp"

using nlohmann::json;

namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

const std::string stored_zone = "023e105f4ecef8ad9ca31a8372d0c353";

}  // namespace

TEST_CASE("read_stored_json: bounded, typed, and a refusal is reported, never thrown") {
    using api::StoredJson;
    std::vector<std::pair<std::string, std::string>> warnings;
    api::LogSink log = [&](api::LogLevel level, std::string_view event, const api::LogFields& fields) {
        CHECK(level == api::LogLevel::warn);
        CHECK(event == "stored_json_unreadable");
        warnings.emplace_back(fields.at(0).second, fields.at(1).second);
    };
    CHECK(api::read_stored_json(R"({"a":"b"})", StoredJson::object_of_strings, log, "x") == json{{"a", "b"}});
    CHECK(api::read_stored_json(R"(["a"])", StoredJson::array_of_strings, log, "x") == json::array({"a"}));
    CHECK(api::read_stored_json(nested(64), StoredJson::array_of_strings, log, "x") == std::nullopt);  // [[...]] holds an array
    CHECK(api::read_stored_json(nested(200000), StoredJson::object, log, "deep") == std::nullopt);
    CHECK(api::read_stored_json("{", StoredJson::object, log, "broken") == std::nullopt);
    CHECK(api::read_stored_json("[1]", StoredJson::array_of_strings, log, "typed") == std::nullopt);
    CHECK(api::read_stored_json("[1]", StoredJson::array_of_strings) == std::nullopt);  // no sink: no report
    REQUIRE(warnings.size() == 4);
    CHECK(warnings[0].second == "an item that is not a string");
    CHECK(warnings[1] == std::pair<std::string, std::string>{"deep", "nested deeper than 64 levels"});
    CHECK(warnings[2] == std::pair<std::string, std::string>{"broken", "not JSON"});
    CHECK(warnings[3].first == "typed");
}

TEST_CASE("a hostname whose stored JSON is too deep or broken still answers (GET, list), with safe defaults") {
    test_support::ServiceFixture api;
    std::vector<std::string> reported;
    api.context.log = [&](api::LogLevel level, std::string_view event, const api::LogFields& fields) {
        if (event == "stored_json_unreadable" && level == api::LogLevel::warn) reported.push_back(fields.at(0).second);
    };
    const std::string base = "/client/v4/zones/" + stored_zone + "/custom_hostnames";
    auto created = api.call("POST", base, R"({"hostname":"app.acme.io","custom_metadata":{"team":"web"}})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    const std::string id = json::parse(created.body)["result"]["id"];

    // What a database written before the fix (or by hand) may hold, straight into storage (in a
    // state validation off leaves as it is, so no settle rewrites it).
    storage::Statement broken(api.db,
                              "UPDATE custom_hostnames SET ssl_id = '00000000-0000-4000-8000-0000000000aa', "
                              "ssl_status = 'pending_validation', ssl_method = 'http', ssl_type = 'dv', "
                              "ssl_bundle_method = 'ubiquitous', ssl_wildcard = 0, ssl_settings = ?1, "
                              "custom_metadata = ?2, verification_errors = ?3, ssl_validation_errors = ?4 WHERE id = ?5");
    broken.bind(1, nested(200000)).bind(2, std::string("{\"team\":")).bind(3, nested(100)).bind(4, std::string("[7]"));
    broken.bind(5, id);
    broken.run();

    for (const std::string& path : {base + "/" + id, base}) {
        CAPTURE(path);
        reported.clear();
        auto answer = api.call("GET", path);
        REQUIRE(answer.status == 200);
        json result = json::parse(answer.body)["result"];
        json hostname = result.is_array() ? result.at(0) : result;
        CHECK(hostname["id"] == id);
        CHECK(hostname["ssl"]["settings"] == json::object());
        CHECK_FALSE(hostname.contains("custom_metadata"));
        CHECK_FALSE(hostname.contains("verification_errors"));
        CHECK_FALSE(hostname["ssl"].contains("validation_errors"));
        // Each unreadable column is reported once per answer, by its row and column.
        CHECK(reported == std::vector<std::string>{"custom_hostnames/" + id + "/verification_errors",
                                                   "custom_hostnames/" + id + "/custom_metadata",
                                                   "custom_hostnames/" + id + "/ssl_settings",
                                                   "custom_hostnames/" + id + "/ssl_validation_errors"});
    }
}

TEST_CASE("a fallback origin whose stored errors are broken still answers") {
    test_support::ServiceFixture api;
    const std::string path = "/client/v4/zones/" + stored_zone + "/custom_hostnames/fallback_origin";
    REQUIRE(api.call("PUT", path, R"({"origin":"fallback.acme.io"})").status == 200);
    storage::Statement broken(api.db, "UPDATE fallback_origins SET errors = ?1");
    broken.bind(1, nested(200000));
    broken.run();
    auto answer = api.call("GET", path);
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    CHECK_FALSE(json::parse(answer.body)["result"].contains("errors"));
}
