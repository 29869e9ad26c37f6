// Reset, snapshot and seed as a test suite drives them: the state survives the round trip
// exactly, a bad document changes nothing, and the test CA outlives a reset.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

json snapshot(ApiClient& client, bool keys = true) {
    auto r = client.get(std::string("/_emulator/state") + (keys ? "?include_private_keys=true" : ""));
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["result"];
}

HttpResponse seed(ApiClient& client, const json& document) { return client.put("/_emulator/state", document); }

HttpResponse reset(ApiClient& client, const json& body = json::object()) { return client.post("/_emulator/reset", body); }

std::size_t listed(ApiClient& client, const std::string& path) { return client.get(path).json()["result"].size(); }

// The first error's message, which starts with its JSON pointer.
std::string refusal(const HttpResponse& r) {
    INFO(r.body);
    CHECK(r.status == 400);
    return r.json()["errors"][0]["message"];
}

}  // namespace

TEST_CASE("snapshot, reset, seed the snapshot back: the same state, CSRs still in use") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
    auto other_zone = create_zone_csr(client, {"b.beta.io"}, zone_b);
    auto account = client.post(account_csrs(), csr_body("p256v1", {"acct.acme.io"}));
    REQUIRE(account.status == 201);
    std::string chain = emulator_sign(client, csr.pem);
    auto hostname = client.post(zone_hostnames(), {{"hostname", "app.acme.io"},
                                                   {"ssl", {{"custom_csr_id", csr.id}, {"custom_certificate", chain}}}});
    REQUIRE(hostname.status == 201);
    REQUIRE(client.post(zone_certificates(), {{"certificate", chain}, {"custom_csr_id", csr.id}}).status == 200);
    auto root_before = client.get("/_emulator/ca/root.pem").body;

    // What a client sees of the CSRs, byte for byte: the API's JSON stored with each CSR it
    // created; after the seed below, the same answers rendered from the seeded fields.
    const std::string account_id = account.json()["result"]["id"];
    auto shown_csrs = [&] {
        return std::vector<std::string>{client.get(zone_csrs() + "/" + csr.id).body, client.get(zone_csrs()).body,
                                        client.get(account_csrs() + "/" + account_id).body,
                                        client.get(account_csrs() + "?order=name&direction=desc").body};
    };
    const auto shown_before = shown_csrs();
    CHECK(json::parse(shown_before[2])["result"]["account_tag"].is_string());

    json before = snapshot(client);
    CHECK(before["custom_csrs"].size() == 3);
    CHECK_FALSE(before["custom_csrs"][0].contains("shown_json"));  // derived, not state
    CHECK(before["custom_hostnames"].size() == 1);
    CHECK(before["custom_certificates"].size() == 1);
    CHECK_FALSE(before.contains("test_ca"));

    SUBCASE("without include_private_keys no key leaves the emulator") {
        json bare = snapshot(client, false);
        CHECK(bare.dump().find("PRIVATE KEY") == std::string::npos);
        CHECK_FALSE(bare["custom_csrs"][0].contains("private_key_pem"));
        CHECK(bare["custom_csrs"].size() == 3);
        // ...and such a snapshot cannot seed: the CSRs would have no key.
        CHECK(refusal(seed(client, bare)).starts_with("/custom_csrs/0/private_key_pem: is required"));
    }

    REQUIRE(reset(client).status == 200);
    CHECK(listed(client, zone_csrs()) == 0);
    CHECK(listed(client, zone_hostnames()) == 0);
    CHECK(listed(client, zone_certificates()) == 0);
    CHECK(client.get("/_emulator/ca/root.pem").body == root_before);  // the test CA survives

    auto seeded = seed(client, before);
    INFO(seeded.body);
    REQUIRE(seeded.status == 200);
    CHECK(snapshot(client) == before);
    CHECK(shown_csrs() == shown_before);
    auto fetched = client.get(zone_csrs() + "/" + csr.id);
    REQUIRE(fetched.status == 200);
    CHECK(fetched.json()["result"]["csr"] == csr.pem);
    CHECK(fetched.json()["result"]["sans"] == json({"app.acme.io", "www.acme.io"}));
    check_failure(client.del(zone_csrs() + "/" + csr.id), 409, 1420);
    CHECK(client.get(zone_csrs(zone_b) + "/" + other_zone.id).status == 200);

    // A document cannot carry the stored JSON (it could disagree with the fields it sits beside).
    json with_shown = before;
    with_shown["custom_csrs"][0]["shown_json"] = R"({"id":"stale"})";
    CHECK(refusal(seed(client, with_shown)) == "/custom_csrs/0/shown_json: unknown field");
}

TEST_CASE("a bad document is refused with the first error's JSON pointer and changes nothing") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
    std::string chain = emulator_sign(client, csr.pem);
    REQUIRE(client.post(zone_hostnames(), {{"hostname", "app.acme.io"},
                                           {"ssl", {{"custom_csr_id", csr.id}, {"custom_certificate", chain}}}})
                .status == 201);
    json before = snapshot(client);

    SUBCASE("a SAN that is not a string") {
        json bad = before;
        bad["custom_csrs"][0]["sans"][1] = 5;
        CHECK(refusal(seed(client, bad)).starts_with("/custom_csrs/0/sans/1: must be a string"));
    }
    SUBCASE("a hostname on a CSR the document does not have") {
        json bad = before;
        bad["custom_csrs"] = json::array();
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/custom_csr_id: no custom_csrs row"));
    }
    SUBCASE("a missing required field, an unknown field, an unknown table, a duplicate id") {
        json missing = before;
        missing["custom_csrs"][0].erase("common_name");
        CHECK(refusal(seed(client, missing)).starts_with("/custom_csrs/0/common_name: is required"));
        json unknown = before;
        unknown["custom_hostnames"][0]["colour"] = "red";
        CHECK(refusal(seed(client, unknown)).starts_with("/custom_hostnames/0/colour: unknown field"));
        json table = before;
        table["dns_records"] = json::array();
        CHECK(refusal(seed(client, table)).starts_with("/dns_records: unknown table"));
        json twice = before;
        twice["custom_csrs"].push_back(twice["custom_csrs"][0]);
        CHECK(refusal(seed(client, twice)).starts_with("/custom_csrs/1/id: duplicates /custom_csrs/0"));
    }
    SUBCASE("a rule the database also checks (key_type) is named by its pointer, not by SQLite") {
        json bad = before;
        bad["custom_csrs"][0]["key_type"] = "rsa1024";
        CHECK(refusal(seed(client, bad)) == "/custom_csrs/0/key_type: must be one of rsa2048, p256v1");
    }
    SUBCASE("not JSON, not an object") {
        CHECK(client.send("PUT", "/_emulator/state", "{", {}).status == 400);
        CHECK(refusal(seed(client, json::array())).starts_with("(document): "));
    }
    CHECK(snapshot(client) == before);
}

TEST_CASE("reset one zone or one account; the rest stays") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto a = create_zone_csr(client, {"a.acme.io"});
    auto b = create_zone_csr(client, {"b.beta.io"}, zone_b);
    auto account = client.post(account_csrs(), csr_body("p256v1", {"acct.acme.io"}));
    REQUIRE(account.status == 201);
    std::string account_csr = account.json()["result"]["id"];
    std::string chain = emulator_sign(client, a.pem);
    REQUIRE(client.post(zone_hostnames(), {{"hostname", "a.acme.io"},
                                           {"ssl", {{"custom_csr_id", a.id}, {"custom_certificate", chain}}}})
                .status == 201);

    auto zone = reset(client, {{"zone_id", zone_a}});
    INFO(zone.body);
    REQUIRE(zone.status == 200);
    CHECK(zone.json()["result"]["deleted_rows"].get<int>() >= 2);
    CHECK(listed(client, zone_csrs()) == 0);
    CHECK(listed(client, zone_hostnames()) == 0);
    CHECK(listed(client, zone_csrs(zone_b)) == 1);
    CHECK(listed(client, account_csrs()) == 1);

    REQUIRE(reset(client, {{"account_id", account_a}}).status == 200);
    CHECK(listed(client, account_csrs()) == 0);
    CHECK(listed(client, zone_csrs(zone_b)) == 1);
    CHECK(client.get(account_csrs() + "/" + account_csr).status == 404);

    CHECK(refusal(reset(client, {{"zone_id", zone_a}, {"account_id", account_a}})).find("at most one") != std::string::npos);
    CHECK(reset(client, {{"zone", zone_a}}).status == 400);
}

namespace {

// Where the row with this id sits in a snapshot's table (rows come in primary-key order).
std::size_t row_of(const json& rows, const std::string& id) {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i]["id"] == id) return i;
    FAIL("no row with id " << id);
    return 0;
}

std::string nested(std::size_t depth, const char* open, const char* close) {
    std::string text;
    for (std::size_t i = 0; i < depth; ++i) text += open;
    for (std::size_t i = 0; i < depth; ++i) text += close;
    return text;
}

}  // namespace

// Issue #25: PUT /_emulator/state stored a hostname's JSON text columns unparsed (a 200,000-deep
// ssl_settings answered 200, then every GET of the hostname or its zone's list crashed the
// server, after each restart too), and took PEMs, times, statuses, names and references on
// trust. Each SUBCASE is one kind of refusal; each names the JSON pointer of the first error.
TEST_CASE("issue #25: a seed is checked as strictly as the API checks the same data") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
    auto other = create_zone_csr(client, {"other.acme.io"});
    auto zone_b_csr = create_zone_csr(client, {"b.beta.io"}, zone_b);
    auto account = client.post(account_csrs(), csr_body("p256v1", {"acct.acme.io"}));
    REQUIRE(account.status == 201);
    const std::string account_csr = account.json()["result"]["id"];
    std::string chain = emulator_sign(client, csr.pem);
    auto created = client.post(zone_hostnames(), {{"hostname", "app.acme.io"},
                                                  {"custom_metadata", {{"team", "web"}}},
                                                  {"ssl",
                                                   {{"custom_csr_id", csr.id},
                                                    {"custom_certificate", chain},
                                                    {"settings", {{"min_tls_version", "1.2"}}}}}});
    REQUIRE(created.status == 201);
    const std::string hostname_id = created.json()["result"]["id"];
    REQUIRE(client.post(zone_certificates(), {{"certificate", chain}, {"custom_csr_id", csr.id}}).status == 200);
    REQUIRE(client.put(zone_hostnames() + "/fallback_origin", {{"origin", "fallback.acme.io"}}).status == 200);
    const json before = snapshot(client);
    const std::size_t c = row_of(before["custom_csrs"], csr.id);
    const std::string at = "/custom_csrs/" + std::to_string(c);
    json bad = before;
    auto& host = bad["custom_hostnames"][0];
    auto& cert = bad["custom_certificates"][0];

    SUBCASE("the crash reproducer: ssl_settings nested 200,000 deep") {
        host["ssl_settings"] = nested(200000, "[", "]");
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/0/ssl_settings: must be the text of a JSON object: nested deeper than 64 levels");
        // Nothing was stored: the hostname and its zone's list still answer.
        CHECK(client.get(zone_hostnames() + "/" + hostname_id).status == 200);
        CHECK(client.get(zone_hostnames()).status == 200);
    }
    SUBCASE("every JSON text column: too deep, not JSON, the wrong JSON type") {
        json deep = before;
        deep["custom_hostnames"][0]["custom_metadata"] = nested(100, "[", "]");
        CHECK(refusal(seed(client, deep)).starts_with("/custom_hostnames/0/custom_metadata: must be the text of a JSON "
                                                      "object of strings: nested deeper than 64 levels"));
        host["ssl_settings"] = "{\"min_tls_version\":";
        CHECK(refusal(seed(client, bad)) == "/custom_hostnames/0/ssl_settings: must be the text of a JSON object: not JSON");
        host["ssl_settings"] = "[]";
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/0/ssl_settings: must be the text of a JSON object: not a JSON object");
        host["ssl_settings"] = R"({"min_tls_version":"1.2"})";
        host["custom_metadata"] = R"({"team":7})";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/custom_metadata: must be the text of a JSON "
                                                     "object of strings: a value that is not a string"));
        host["custom_metadata"] = R"({"team":"web"})";
        host["verification_errors"] = "{}";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/verification_errors: must be the text of a "
                                                     "JSON array of strings"));
        host["verification_errors"] = "[]";
        bad["fallback_origins"][0]["errors"] = nested(65, "[", "]");
        CHECK(refusal(seed(client, bad)).starts_with("/fallback_origins/0/errors: "));
    }
    SUBCASE("ssl_settings the API would refuse (1409-1434)") {
        host["ssl_settings"] = R"({"min_tls_version":"1.9"})";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/ssl_settings: the API refuses these settings"));
    }
    SUBCASE("PEM columns that do not parse") {
        json csr_pem = before;
        csr_pem["custom_csrs"][c]["csr_pem"] = "-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n";
        CHECK(refusal(seed(client, csr_pem)).starts_with(at + "/csr_pem: not a readable CSR"));
        json key = before;
        key["custom_csrs"][c]["private_key_pem"] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        CHECK(refusal(seed(client, key)).starts_with(at + "/private_key_pem: not a readable private key"));
        host["cert_chain_pem"] = "garbage";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/cert_chain_pem: not a certificate chain"));
    }
    SUBCASE("a private key that does not match its CSR or its certificate") {
        const std::size_t o = row_of(before["custom_csrs"], other.id);
        bad["custom_csrs"][c]["private_key_pem"] = before["custom_csrs"][o]["private_key_pem"];
        CHECK(refusal(seed(client, bad)) == at + "/private_key_pem: does not match the public key of csr_pem");
        json swapped = before;
        swapped["custom_hostnames"][0]["custom_csr_id"] = other.id;
        CHECK(refusal(seed(client, swapped)) ==
              "/custom_hostnames/0/custom_csr_id: does not match the public key of cert_chain_pem's certificate");
        json own_key = before;
        own_key["custom_certificates"][0]["custom_csr_id"] = nullptr;
        own_key["custom_certificates"][0]["cert_private_key_pem"] = before["custom_csrs"][o]["private_key_pem"];
        CHECK(refusal(seed(client, own_key)) == "/custom_certificates/0/cert_private_key_pem: does not match the public "
                                                "key of cert_chain_pem's certificate");
    }
    SUBCASE("timestamps: unparsable, another column's format, out of range") {
        host["created_at"] = "yesterday";
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/0/created_at: must be a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ");
        host["created_at"] = "2026-11-30T00:00:00Z";
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/0/created_at: must be a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ");
        host["created_at"] = "9999-12-31T23:59:59.000000Z";
        CHECK(refusal(seed(client, bad)) == "/custom_hostnames/0/created_at: must be between 1970-01-01 and 2199-12-31");
        host["created_at"] = before["custom_hostnames"][0]["created_at"];
        cert["uploaded_on"] = "2026-02-30T00:00:00Z";
        CHECK(refusal(seed(client, bad)) ==
              "/custom_certificates/0/uploaded_on: must be a UTC time written YYYY-MM-DDTHH:MM:SSZ");
    }
    SUBCASE("statuses the lifecycle never uses") {
        host["status"] = "verified";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/status: must be an ownership status"));
        host["status"] = "active";
        host["ssl_status"] = "done";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/ssl_status: must be a certificate status"));
        host["ssl_status"] = "active";
        bad["fallback_origins"][0]["status"] = "green";
        CHECK(refusal(seed(client, bad)).starts_with("/fallback_origins/0/status: must be one of active,"));
    }
    SUBCASE("negative counters") {
        host["ownership_attempts"] = -1;
        CHECK(refusal(seed(client, bad)) == "/custom_hostnames/0/ownership_attempts: must be a count from 0 to 2147483647");
        // 2^64 - 1 must not wrap to -1 on its way in.
        host["ownership_attempts"] = std::uint64_t{18446744073709551615u};
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/0/ownership_attempts: must be an integer from -2^63 to 2^63 - 1");
        host["ownership_attempts"] = 0;
        bad["fallback_origins"][0]["attempts"] = -5;
        CHECK(refusal(seed(client, bad)) == "/fallback_origins/0/attempts: must be a count from 0 to 2147483647");
    }
    SUBCASE("names the API would refuse: hostname, SAN, origin") {
        host["hostname"] = "app.example.com";
        CHECK(refusal(seed(client, bad)).starts_with("/custom_hostnames/0/hostname: the API refuses this hostname: an "
                                                     "example domain"));
        host["hostname"] = "App.acme.io";
        CHECK(refusal(seed(client, bad)) == "/custom_hostnames/0/hostname: the API stores a hostname in lowercase");
        host["hostname"] = "app.acme.io";
        host["custom_origin_server"] = "*.origin.acme.io";
        CHECK(refusal(seed(client, bad)) == "/custom_hostnames/0/custom_origin_server: the API refuses a wildcard origin");
        json san = before;
        san["custom_csrs"][c]["sans"][1] = "www acme.io";
        CHECK(refusal(seed(client, san)).starts_with(at + "/sans/1: the API refuses this SAN: invalid"));
    }
    SUBCASE("references across zones: a CSR of another zone or of an account") {
        host["custom_csr_id"] = zone_b_csr.id;
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/0/custom_csr_id: names /custom_csrs/" +
                  std::to_string(row_of(before["custom_csrs"], zone_b_csr.id)) + ", a CSR of zone " + zone_b +
                  "; only a CSR of zone " + zone_a + " can be used");
        host["custom_csr_id"] = csr.id;
        cert["custom_csr_id"] = account_csr;
        CHECK(refusal(seed(client, bad)) ==
              "/custom_certificates/0/custom_csr_id: names /custom_csrs/" +
                  std::to_string(row_of(before["custom_csrs"], account_csr)) + ", an account's CSR; only a CSR of zone " +
                  zone_a + " can be used");
    }
    SUBCASE("a duplicate hostname in a zone: the pointer of the duplicate, not SQLite's text") {
        json copy = before["custom_hostnames"][0];
        copy["id"] = "00000000-0000-4000-8000-00000000abcd";
        bad["custom_hostnames"].push_back(copy);
        CHECK(refusal(seed(client, bad)) ==
              "/custom_hostnames/1/hostname: duplicates /custom_hostnames/0: a zone holds each hostname once");
    }
    SUBCASE("an id the routes would refuse") {
        host["id"] = "h1";
        CHECK(refusal(seed(client, bad)) == "/custom_hostnames/0/id: must be a UUID (8-4-4-4-12 hexadecimal digits)");
    }
    CHECK(snapshot(client) == before);
    // The snapshot itself passes every rule.
    REQUIRE(seed(client, before).status == 200);
    CHECK(snapshot(client) == before);
}

// --seed-file reads the document through the same rules: the crash reproducer as a file stops
// the start with its JSON pointer instead of crashing the first request (and every restart).
TEST_CASE("issue #25: --seed-file refuses a 200,000-deep ssl_settings with its JSON pointer") {
    TempDir dir;
    json state;
    {
        ServerProcess server({"--key-pool", "0"});
        ApiClient client(server);
        auto csr = create_zone_csr(client, {"app.acme.io"});
        REQUIRE(client.post(zone_hostnames(), {{"hostname", "app.acme.io"},
                                               {"ssl", {{"custom_csr_id", csr.id},
                                                        {"custom_certificate", emulator_sign(client, csr.pem)}}}})
                    .status == 201);
        state = snapshot(client);
    }
    state["custom_hostnames"][0]["ssl_settings"] = nested(200000, "[", "]");
    write_file(dir.file("state.json"), state.dump());
    // timeout: a binary that accepted the file would serve until stopped (exit 124 then).
    std::string command = "timeout 60 " + std::string(CSR_EMULATOR_BINARY_PATH) +
                          " --listen 127.0.0.1:0 --db :memory: --key-pool 0 --seed-file " + dir.file("state.json") +
                          " 2>" + dir.file("err.txt");
    int status = std::system(command.c_str());
    CHECK(WEXITSTATUS(status) == 1);
    std::ifstream err(dir.file("err.txt"));
    std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    CHECK(text.find("/custom_hostnames/0/ssl_settings: must be the text of a JSON object: nested deeper than 64 "
                    "levels") != std::string::npos);
}
