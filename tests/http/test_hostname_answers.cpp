// What a client reads in custom hostname answers, against the binary: Cloudflare's create answer
// (initializing, records on a later GET), an ssl object on every hostname, edits that never drop
// a certificate, ownership instructions only until proven, wildcard records a customer can
// publish, the record and token shapes Cloudflare documents, and the quota.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

// The zone of the fixtures' CSRs; the emulator's own routes for moving its hostnames by hand.
const std::string answers_hostnames = zone_hostnames();
const std::string routes = "/_emulator/zones/" + zone_a + "/custom_hostnames/";

json create(ApiClient& api, const json& body) {
    auto created = api.post(answers_hostnames, body);
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()["result"];
}

json dv(const std::string& name, const std::string& method = "txt", bool wildcard = false) {
    json ssl = {{"method", method}, {"type", "dv"}};
    if (wildcard) ssl["wildcard"] = true;
    return {{"hostname", name}, {"ssl", ssl}};
}

json read_answers_hostname(ApiClient& api, const std::string& id) {
    auto got = api.get(answers_hostnames + "/" + id);
    REQUIRE(got.status == 200);
    return got.json()["result"];
}

bool matches(const json& value, const char* pattern) {
    return value.is_string() && std::regex_match(value.get<std::string>(), std::regex(pattern));
}

}  // namespace

TEST_CASE("the create answer of a DV hostname: ssl initializing, no validation_records; a later GET has them") {
    for (const char* mode : {"off", "manual", "auto"}) {
        CAPTURE(mode);
        // auto: a step long enough that the GET below still sees pending_validation.
        ServerProcess server({"--validation", mode, "--validation-step", "60000"});
        ApiClient api(server);
        json created = create(api, dv("create.acme.io"));
        CHECK(created["ssl"]["status"] == "initializing");
        CHECK_FALSE(created["ssl"].contains("validation_records"));
        CHECK(created["ssl"]["certificate_authority"] == "google");  // the default CA, named at create
        std::string id = created["id"];
        if (std::string(mode) == "manual") REQUIRE(api.post(routes + id + "/advance_certificate", json::object()).status == 200);
        if (std::string(mode) == "auto") REQUIRE(api.post("/_emulator/clock", {{"advance", "60s"}}).status == 200);
        json later = read_answers_hostname(api, id)["ssl"];
        CHECK(later["status"] == "pending_validation");
        REQUIRE(later["validation_records"].size() == 1);
        CHECK(later["validation_records"][0]["txt_name"] == "_acme-challenge.create.acme.io");
    }
}

TEST_CASE("every answer has an ssl object: a hostname created without one shows ssl.status inactive") {
    ServerProcess server;
    ApiClient api(server);
    json created = create(api, {{"hostname", "bare.acme.io"}});
    CHECK(created["ssl"] == json{{"status", "inactive"}});
    std::string id = created["id"];
    CHECK(read_answers_hostname(api, id)["ssl"] == json{{"status", "inactive"}});
    auto listed = api.get(answers_hostnames);
    REQUIRE(listed.status == 200);
    CHECK(listed.json()["result"][0]["ssl"] == json{{"status", "inactive"}});
    auto edited = api.patch(answers_hostnames + "/" + id, {{"custom_metadata", {{"plan", "pro"}}}});
    REQUIRE(edited.status == 202);
    CHECK(edited.json()["result"]["ssl"] == json{{"status", "inactive"}});
}

TEST_CASE("PATCH {\"ssl\": null} never drops the certificate: it changes nothing, as an absent ssl") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient api(server);
    auto csr = create_zone_csr(api, {"null.acme.io"});
    json ssl = {{"custom_csr_id", csr.id}, {"custom_certificate", emulator_sign(api, csr.pem)}};
    json created = create(api, {{"hostname", "null.acme.io"}, {"ssl", ssl}});
    std::string id = created["id"];
    auto edited = api.patch(answers_hostnames + "/" + id, {{"ssl", nullptr}});
    REQUIRE(edited.status == 202);
    CHECK(edited.json()["result"]["ssl"] == created["ssl"]);
    CHECK(read_answers_hostname(api, id)["ssl"] == created["ssl"]);
    // The CSR still backs it.
    check_failure(api.del(zone_csrs() + "/" + csr.id), 409, 1420);
}

TEST_CASE("PATCH ssl on an uploaded certificate: settings alone keep it; method or type alone is 1440") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient api(server);
    auto csr = create_zone_csr(api, {"up.acme.io"});
    json created = create(api, {{"hostname", "up.acme.io"},
                                {"ssl", {{"custom_csr_id", csr.id}, {"custom_certificate", emulator_sign(api, csr.pem)}}}});
    std::string id = created["id"];
    auto edited = api.patch(answers_hostnames + "/" + id, {{"ssl", {{"settings", {{"min_tls_version", "1.2"}}}}}});
    REQUIRE(edited.status == 202);
    json shown = edited.json()["result"]["ssl"];
    CHECK(shown["serial_number"] == created["ssl"]["serial_number"]);
    CHECK(shown["custom_csr_id"] == csr.id);
    CHECK(shown["status"] == "active");
    CHECK(shown["settings"] == json{{"min_tls_version", "1.2"}});
    check_failure(api.patch(answers_hostnames + "/" + id, {{"ssl", {{"method", "txt"}}}}), 400, 1440);
    check_failure(api.patch(answers_hostnames + "/" + id, {{"ssl", {{"type", "dv"}}}}), 400, 1440);
    check_failure(api.patch(answers_hostnames + "/" + id, {{"ssl", {{"certificate_authority", "google"}}}}), 400, 1440);
    CHECK(read_answers_hostname(api, id)["ssl"] == shown);
}

TEST_CASE("ownership_verification and ownership_verification_http are shown until ownership is verified") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json created = create(api, dv("own.acme.io"));
    std::string id = created["id"];
    CHECK(created["ownership_verification"]["name"] == "_cf-custom-hostname.own.acme.io");
    CHECK(created["ownership_verification_http"]["http_url"] ==
          "http://own.acme.io/.well-known/cf-custom-hostname-challenge/" + id);
    auto verified = api.post(routes + id + "/verify_ownership", json::object());
    REQUIRE(verified.status == 200);
    CHECK(verified.json()["result"]["status"] == "active");
    CHECK_FALSE(verified.json()["result"].contains("ownership_verification"));
    CHECK_FALSE(verified.json()["result"].contains("ownership_verification_http"));
    CHECK_FALSE(read_answers_hostname(api, id).contains("ownership_verification"));
    // Moved: it must be proven again, so the instructions are back.
    REQUIRE(api.post(routes + id + "/move", json::object()).status == 200);
    CHECK(read_answers_hostname(api, id).contains("ownership_verification"));
}

TEST_CASE("record and token shapes: TXT values of 43 base64url characters, HTTP tokens ca3-<32 hex>, emails of the registrable domain") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    auto pending = [&](const json& body) {
        std::string id = create(api, body)["id"];
        REQUIRE(api.post(routes + id + "/advance_certificate", json::object()).status == 200);
        return read_answers_hostname(api, id)["ssl"]["validation_records"];
    };
    json txt = pending(dv("txt.shop.acme.co.uk"));
    REQUIRE(txt.size() == 1);
    CHECK(txt[0]["txt_name"] == "_acme-challenge.txt.shop.acme.co.uk");
    CHECK(matches(txt[0]["txt_value"], "[A-Za-z0-9_-]{43}"));
    CHECK(txt[0]["status"] == "pending");

    json http = pending(dv("http.acme.io", "http"));
    REQUIRE(http.size() == 1);
    CHECK(matches(http[0]["http_body"], "ca3-[0-9a-f]{32}"));
    CHECK(http[0]["http_url"] == "http://http.acme.io/.well-known/pki-validation/" + http[0]["http_body"].get<std::string>() + ".txt");

    json email = pending(dv("mail.shop.acme.co.uk", "email"));
    REQUIRE(email.size() == 1);
    CHECK(email[0]["emails"] == json{"admin@acme.co.uk", "administrator@acme.co.uk", "hostmaster@acme.co.uk",
                                     "postmaster@acme.co.uk", "webmaster@acme.co.uk"});
}

TEST_CASE("wildcards: ssl.wildcard with TXT gives two TXT values at one name; HTTP is 1448; *. hostnames publish at the base name") {
    ServerProcess server({"--validation", "manual", "--key-pool", "0"});
    ApiClient api(server);
    SUBCASE("ssl.wildcard: true, method txt: the hostname's and its wildcard's values, both at _acme-challenge.<host>") {
        json created = create(api, dv("wild.acme.io", "txt", true));
        CHECK(created["ssl"]["wildcard"] == true);
        std::string id = created["id"];
        REQUIRE(api.post(routes + id + "/advance_certificate", json::object()).status == 200);
        json records = read_answers_hostname(api, id)["ssl"]["validation_records"];
        REQUIRE(records.size() == 2);
        CHECK(records[0]["txt_name"] == "_acme-challenge.wild.acme.io");
        CHECK(records[1]["txt_name"] == "_acme-challenge.wild.acme.io");
        CHECK(records[0]["txt_value"] != records[1]["txt_value"]);
        // Issued for both names.
        REQUIRE(api.post(routes + id + "/verify_ownership", json::object()).status == 200);
        json active;
        for (int i = 0; i < 3; ++i) active = api.post(routes + id + "/advance_certificate", json::object()).json()["result"];
        REQUIRE(active["ssl"]["status"] == "active");
        CHECK(active["ssl"]["hosts"] == json{"wild.acme.io", "*.wild.acme.io"});
    }
    SUBCASE("1448: a wildcard validated by HTTP (or email), as ssl.wildcard or as a *. hostname") {
        check_failure(api.post(answers_hostnames, dv("wild.acme.io", "http", true)), 400, 1448);
        check_failure(api.post(answers_hostnames, dv("*.wild.acme.io", "http")), 400, 1448);
        check_failure(api.post(answers_hostnames, dv("*.wild.acme.io", "email")), 400, 1448);
        json created = create(api, dv("plain.acme.io", "txt"));
        check_failure(api.patch(answers_hostnames + "/" + created["id"].get<std::string>(),
                                {{"ssl", {{"method", "http"}, {"type", "dv"}, {"wildcard", true}}}}),
                      400, 1448);
        CHECK(api.get(answers_hostnames + "?hostname=wild.acme.io").json()["result"].empty());
    }
    SUBCASE("*.shop.acme.io: no published name contains '*'; no HTTP ownership URL; ?wildcard=true finds it") {
        json created = create(api, dv("*.shop.acme.io"));
        std::string id = created["id"];
        CHECK(created["ownership_verification"]["name"] == "_cf-custom-hostname.shop.acme.io");
        CHECK_FALSE(created.contains("ownership_verification_http"));
        REQUIRE(api.post(routes + id + "/advance_certificate", json::object()).status == 200);
        json records = read_answers_hostname(api, id)["ssl"]["validation_records"];
        REQUIRE(records.size() == 1);
        CHECK(records[0]["txt_name"] == "_acme-challenge.shop.acme.io");
        create(api, dv("flat.acme.io"));
        create(api, dv("both.acme.io", "txt", true));
        json found = api.get(answers_hostnames + "?wildcard=true").json()["result"];
        std::vector<std::string> names;
        for (const auto& h : found) names.push_back(h["hostname"]);
        CHECK(names == std::vector<std::string>{"*.shop.acme.io", "both.acme.io"});
    }
}

TEST_CASE("GET .../custom_hostnames/quota: allocated, used, exceeded, hard_cap from --hostname-quota") {
    SUBCASE("with a quota of 3") {
        ServerProcess server({"--hostname-quota", "3"});
        ApiClient api(server);
        create(api, {{"hostname", "one.acme.io"}});
        create(api, {{"hostname", "two.acme.io"}});
        auto quota = api.get(answers_hostnames + "/quota");
        REQUIRE(quota.status == 200);
        CHECK(quota.json()["result"] == json{{"allocated", 3}, {"used", 2}, {"exceeded", false}, {"hard_cap", 3}});
        // Another zone counts apart.
        auto other = api.get("/client/v4/zones/" + std::string(32, 'b') + "/custom_hostnames/quota");
        CHECK(other.json()["result"]["used"] == 0);
    }
    SUBCASE("without one: 0 allocated and no cap") {
        ServerProcess server;
        ApiClient api(server);
        create(api, {{"hostname", "one.acme.io"}});
        auto quota = api.get(answers_hostnames + "/quota");
        REQUIRE(quota.status == 200);
        CHECK(quota.json()["result"] == json{{"allocated", 0}, {"used", 1}, {"exceeded", false}, {"hard_cap", 0}});
    }
}
