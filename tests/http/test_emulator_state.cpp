// Reset, snapshot and seed as a test suite drives them: the state survives the round trip
// exactly, a bad document changes nothing, and the test CA outlives a reset.
#include <doctest/doctest.h>

#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"

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
        table["zones"] = json::array();
        CHECK(refusal(seed(client, table)).starts_with("/zones: unknown table"));
        json twice = before;
        twice["custom_csrs"].push_back(twice["custom_csrs"][0]);
        CHECK(refusal(seed(client, twice)).starts_with("/custom_csrs/1/id: duplicates /custom_csrs/0"));
    }
    SUBCASE("a rule only the database checks (key_type) is refused too") {
        json bad = before;
        bad["custom_csrs"][0]["key_type"] = "rsa1024";
        CHECK(refusal(seed(client, bad)).find("refused by the database") != std::string::npos);
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
