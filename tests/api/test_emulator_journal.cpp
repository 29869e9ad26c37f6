// The request journal: bounded, queryable, and never holding a private key or a secret.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/journal.hpp"
#include "api/emulator/journal_routes.hpp"
#include "api/emulator/redaction.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;
using api::emulator::Journal;
using api::emulator::JournalEntry;

namespace {

const api::TimePoint t0 = sys_days{2027y / January / 1};

JournalEntry entry(std::string method, std::string path, int status, std::string response = "{}",
                   api::TimePoint time = t0) {
    JournalEntry e;
    e.method = std::move(method);
    e.path = std::move(path);
    e.status = status;
    e.response_body = std::move(response);
    e.error_codes = api::emulator::error_codes_of(e.response_body);
    e.time = time;
    return e;
}

const std::string key_pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n";
const std::string cert_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

}  // namespace

TEST_CASE("redaction removes private keys and keeps certificates") {
    using api::emulator::redact_body;
    SUBCASE("a PEM key block in plain text, EC and RSA labels too") {
        auto out = redact_body("before\n" + key_pem + cert_pem +
                               "-----BEGIN EC PRIVATE KEY-----\nAA\n-----END EC PRIVATE KEY-----\nafter");
        CHECK(out.find("MIIEvQ") == std::string::npos);
        CHECK(out.find("\nAA\n") == std::string::npos);
        CHECK(out.find("-----BEGIN CERTIFICATE-----\nMIIB") != std::string::npos);
        CHECK(out.find("before") != std::string::npos);
        CHECK(out.find("after") != std::string::npos);
    }
    SUBCASE("JSON fields private_key, custom_key, *private_key* at any depth") {
        nlohmann::json body = {{"certificate", cert_pem},
                               {"private_key", key_pem},
                               {"ssl", {{"custom_key", "anything"}, {"custom_certificate", cert_pem}}},
                               {"items", {{{"private_key_pem", "x"}}}}};
        auto out = nlohmann::json::parse(redact_body(body.dump()));
        CHECK(out["private_key"] == "[REDACTED]");
        CHECK(out["ssl"]["custom_key"] == "[REDACTED]");
        CHECK(out["items"][0]["private_key_pem"] == "[REDACTED]");
        CHECK(out["certificate"] == cert_pem);
        CHECK(out["ssl"]["custom_certificate"] == cert_pem);
    }
    SUBCASE("a key pasted into another JSON string") {
        auto out = redact_body(nlohmann::json({{"note", "oops " + key_pem}}).dump());
        CHECK(out.find("MIIEvQ") == std::string::npos);
    }
    SUBCASE("an unterminated block is left as sent rather than eating the rest") {
        CHECK(redact_body("-----BEGIN PRIVATE KEY-----\nAB") == "-----BEGIN PRIVATE KEY-----\nAB");
    }
}

TEST_CASE("credential kind names the kind of credential, never the secret") {
    api::Request r;
    CHECK(api::emulator::credential_kind(r) == "none");
    r.headers = {{"Authorization", "Bearer s3cret"}};
    CHECK(api::emulator::credential_kind(r) == "api_token");
    r.headers = {{"X-Auth-Email", "a@b.c"}, {"X-Auth-Key", "k"}};
    CHECK(api::emulator::credential_kind(r) == "api_key");
    r.headers = {{"X-Auth-User-Service-Key", "v1.0-x"}};
    CHECK(api::emulator::credential_kind(r) == "service_key");
}

TEST_CASE("the journal keeps the last N requests, oldest first, redacted") {
    Journal journal(3);
    for (int i = 0; i < 5; ++i) journal.record(entry("GET", "/zones/z/custom_csrs/" + std::to_string(i), 200));
    auto all = journal.query({});
    REQUIRE(all.size() == 3);
    CHECK(all.front().path == "/zones/z/custom_csrs/2");
    CHECK(all.back().path == "/zones/z/custom_csrs/4");
    CHECK(all.front().sequence == 3);

    auto with_key = entry("POST", "/zones/z/custom_certificates", 200);
    with_key.request_body = nlohmann::json({{"private_key", key_pem}}).dump();
    journal.record(with_key);
    CHECK(journal.query({}).back().request_body.find("MIIEvQ") == std::string::npos);

    CHECK(journal.clear() == 3);
    CHECK(journal.size() == 0);
}

TEST_CASE("journal queries by method, path prefix, status, error code and time") {
    Journal journal;
    journal.record(entry("POST", "/zones/z/custom_csrs", 200, "{}", t0));
    journal.record(entry("GET", "/zones/z/custom_hostnames", 404,
                         R"({"success":false,"errors":[{"code":1436,"message":"x"}]})", t0 + 1min));
    journal.record(entry("DELETE", "/zones/z/custom_csrs/1", 409,
                         R"({"success":false,"errors":[{"code":1420,"message":"x"},{"code":1421,"message":"y"}]})",
                         t0 + 2min));

    auto count = [&journal](auto set) {
        api::emulator::JournalFilter filter;
        set(filter);
        return journal.query(filter).size();
    };
    using F = api::emulator::JournalFilter;
    CHECK(count([](F& f) { f.method = "POST"; }) == 1);
    CHECK(count([](F& f) { f.path_prefix = "/zones/z/custom_csrs"; }) == 2);
    CHECK(count([](F& f) { f.status = 404; }) == 1);
    CHECK(count([](F& f) { f.code = 1421; }) == 1);
    CHECK(count([](F& f) { f.since = t0 + 1min; }) == 2);
    CHECK(count([](F& f) { f.since = t0 + 30s, f.until = t0 + 90s; }) == 1);
    CHECK(count([](F& f) { f.method = "GET", f.status = 200; }) == 0);

    SUBCASE("over HTTP") {
        test_support::RouteFixture f;
        api::emulator::add_journal_routes(f.router, journal);
        auto found = test_support::json_body(f.call("GET", "/_emulator/journal?method=delete&code=1420"));
        REQUIRE(found["result"].size() == 1);
        CHECK(found["result"][0]["path"] == "/zones/z/custom_csrs/1");
        CHECK(found["result"][0]["error_codes"] == nlohmann::json({1420, 1421}));
        CHECK(found["result"][0]["response_body"]["errors"][0]["code"] == 1420);
        CHECK(found["result"][0]["time"] == "2027-01-01T00:02:00.000000Z");
        auto since = f.call("GET", "/_emulator/journal?since=2027-01-01T00:01:00Z&path_prefix=/zones/z/custom_h");
        CHECK(test_support::json_body(since)["result"].size() == 1);
        CHECK(f.call("GET", "/_emulator/journal?status=abc").status == 400);
        CHECK(f.call("GET", "/_emulator/journal?until=yesterday").status == 400);
        CHECK(test_support::json_body(f.call("DELETE", "/_emulator/journal"))["result"]["cleared"] == 3);
        CHECK(test_support::json_body(f.call("GET", "/_emulator/journal"))["result"].empty());
    }
}
