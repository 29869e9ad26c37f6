// Renewal and expiry on the emulator's clock, as a client sees them against the binary: a DV
// certificate renews 30 days before its end with new certificates for the same keys (new serials,
// fingerprints and dates; the keys are kept, see README), one clock jump renews as
// many times as it spans, a renewal made to fail shows Cloudflare's pending_issuance and then
// lapses, and an uploaded certificate expires instead of renewing.
#include <doctest/doctest.h>

#include <string>

#include "support/api_client.hpp"
#include "support/hostname_calls.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

std::string key_ids(const json& ssl) {
    // The pair's identity as a client sees it: both leaves' serials and fingerprints.
    std::string out;
    for (const auto& cert : ssl["certificates"])
        out += cert["serial_number"].get<std::string>() + "/" + cert["fingerprint_sha256"].get<std::string>() + ";";
    return out;
}

// The stored private keys of the hostname's DV pair (the snapshot with keys is the only place
// they show).
std::string stored_keys(ApiClient& api, const std::string& id) {
    auto document = api.get("/_emulator/state?include_private_keys=true").json()["result"];
    for (const auto& row : document["custom_hostnames"])
        if (row["id"] == id)
            return row["dv_ecdsa_private_key_pem"].get<std::string>() + row["dv_rsa_private_key_pem"].get<std::string>();
    FAIL("no hostname " << id << " in the snapshot");
    return {};
}

}  // namespace

TEST_CASE("auto mode: a DV certificate renews 30 days before its end, new certificates for the same keys each time") {
    ServerProcess server({"--validation", "auto", "--validation-step", "0"});
    ApiClient api(server);
    json created = created_active(api, "renew.acme.io");
    std::string id = created["id"];
    const json first = created["ssl"];
    const std::string first_keys = stored_keys(api, id);
    CHECK(first_keys.find("PRIVATE KEY") != std::string::npos);

    // 59 days on: inside the old pair's first 60 days, nothing renews.
    advance_clock(api, "59d");
    json before = read_hostname(api, id)["ssl"];
    CHECK(before["status"] == "active");
    CHECK(key_ids(before) == key_ids(first));

    // Past day 60: renewed (step 0: pending_deployment and active in one read), a new pair with
    // new serials, fingerprints and an end 90 days from the renewal.
    advance_clock(api, "2d");
    json renewed = read_hostname(api, id)["ssl"];
    CHECK(renewed["status"] == "active");
    CHECK(renewed["certificates"].size() == 2);
    CHECK(renewed["serial_number"] != first["serial_number"]);
    CHECK(renewed["certificates"][1]["serial_number"] != first["certificates"][1]["serial_number"]);
    CHECK(renewed["certificates"][0]["fingerprint_sha256"] != first["certificates"][0]["fingerprint_sha256"]);
    CHECK(renewed["expires_on"] > first["expires_on"]);
    CHECK(renewed["uploaded_on"] > first["uploaded_on"]);
    // The same read again: stored, not issued anew. The keys are the first pair's.
    CHECK(key_ids(read_hostname(api, id)["ssl"]) == key_ids(renewed));
    CHECK(stored_keys(api, id) == first_keys);

    // 200 days in one jump: renewed at day ~120, ~180 and ~240 too; the pair served is the last
    // one, dated when that renewal happened (before now), ending more than 30 days from now (or
    // it would have renewed again).
    advance_clock(api, "200d");
    json later = read_hostname(api, id)["ssl"];
    CHECK(later["status"] == "active");
    CHECK(later["serial_number"] != renewed["serial_number"]);
    auto now = api.get("/_emulator/clock").json()["result"]["now"].get<std::string>();
    CHECK(later["expires_on"].get<std::string>() > now);
    CHECK(later["uploaded_on"].get<std::string>() < now);
}

TEST_CASE("a renewal made to fail: pending_issuance with the CA's reason, the old pair served, then expired") {
    ServerProcess server({"--validation", "auto", "--validation-step", "0"});
    ApiClient api(server);
    json created = created_active(api, "lapse.acme.io");
    std::string id = created["id"];

    auto armed = api.post(manual_routes + id + "/fail_renewal", {{"message", "CAA records block issuance."}});
    REQUIRE(armed.status == 200);
    CHECK(armed.json()["result"]["ssl"]["status"] == "active");  // the next renewal fails, not this one

    advance_clock(api, "61d");
    json failing = read_hostname(api, id)["ssl"];
    CHECK(failing["status"] == "pending_issuance");
    CHECK(failing["validation_errors"] == json::array({{{"message", "CAA records block issuance."}}}));
    // The old pair is still the one shown (and served) until it ends.
    CHECK(failing["serial_number"] == created["ssl"]["serial_number"]);

    advance_clock(api, "30d");
    json expired = read_hostname(api, id);
    CHECK(expired["status"] == "active");
    CHECK(expired["ssl"]["status"] == "expired");
    CHECK(expired["ssl"]["validation_errors"] == json::array({{{"message", "CAA records block issuance."}}}));
    // The list's filter sees it too.
    auto listed = api.get(hostnames + "?ssl_status=expired");
    REQUIRE(listed.status == 200);
    CHECK(listed.json()["result"].size() == 1);

    // A refresh starts over with new tokens and issues a new pair.
    auto refreshed = api.patch(hostnames + "/" + id, {{"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(refreshed.status == 202);
    CHECK(refreshed.json()["result"]["ssl"]["status"] == "initializing");
    json again = read_hostname(api, id)["ssl"];
    CHECK(again["status"] == "active");
    CHECK(again["serial_number"] != created["ssl"]["serial_number"]);

    // The route refuses what cannot renew, with the lifecycle's 409.
    check_failure(api.post(manual_routes + "5f0b1e7e-0000-4000-8000-000000000000/fail_renewal", json::object()), 404, 1436);
    check_failure(api.send("POST", manual_routes + id + "/fail_renewal", R"({"message": 5})", {}), 409, 1400);
}

TEST_CASE("manual mode: the clock starts a renewal, the route deploys it; meanwhile the old pair is shown") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json active = active_by_hand(api, "hand.acme.io");
    std::string id = active["id"];

    advance_clock(api, "61d");
    json renewing = read_hostname(api, id)["ssl"];
    CHECK(renewing["status"] == "pending_deployment");
    auto deployed = api.post(manual_routes + id + "/advance_certificate", json::object());
    REQUIRE(deployed.status == 200);
    json renewed = deployed.json()["result"]["ssl"];
    CHECK(renewed["status"] == "active");
    CHECK(renewed["serial_number"] != active["ssl"]["serial_number"]);
    CHECK(read_hostname(api, id)["ssl"]["serial_number"] == renewed["serial_number"]);
}

TEST_CASE("a refresh after validation_timed_out starts a new cycle with new tokens") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json created = create_dv(api, "retry.acme.io");
    std::string id = created["id"];
    REQUIRE(api.post(manual_routes + id + "/advance_certificate", json::object()).status == 200);
    json pending = read_hostname(api, id)["ssl"];
    std::string token = pending["validation_records"][0]["txt_value"];
    REQUIRE(api.post(manual_routes + id + "/fail_certificate", {{"status", "validation_timed_out"}}).status == 200);
    auto refreshed = api.patch(hostnames + "/" + id, {{"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(refreshed.status == 202);
    CHECK(refreshed.json()["result"]["ssl"]["status"] == "initializing");
    REQUIRE(api.post(manual_routes + id + "/advance_certificate", json::object()).status == 200);
    json fresh = read_hostname(api, id)["ssl"];
    CHECK(fresh["status"] == "pending_validation");
    CHECK(fresh["validation_records"][0]["txt_value"] != token);
}

TEST_CASE("a CA change on an active certificate re-issues it through the pending states") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json active = active_by_hand(api, "ca.acme.io");
    std::string id = active["id"];
    REQUIRE(active["ssl"]["certificate_authority"] == "google");

    auto changed = api.patch(hostnames + "/" + id, {{"ssl",
                                                     {{"method", "txt"},
                                                      {"type", "dv"},
                                                      {"certificate_authority", "lets_encrypt"}}}});
    REQUIRE(changed.status == 202);
    CHECK(changed.json()["result"]["ssl"]["status"] == "initializing");
    CHECK(changed.json()["result"]["ssl"]["certificate_authority"] == "lets_encrypt");
    json reissued = advance_certificate(api, id, 4);
    CHECK(reissued["ssl"]["status"] == "active");
    CHECK(reissued["ssl"]["serial_number"] != active["ssl"]["serial_number"]);
}

TEST_CASE("an uploaded certificate does not renew: ssl.status expired past its not_after, in every mode") {
    for (const char* mode : {"auto", "manual", "off"}) {
        CAPTURE(mode);
        std::vector<std::string> args = {"--validation", mode};
        if (std::string(mode) == "off") args.clear();
        if (std::string(mode) == "auto") args = {"--validation", "auto", "--validation-step", "0"};
        ServerProcess server(args);
        ApiClient api(server);
        auto created = create_uploaded(api, "up.acme.io", 30);
        REQUIRE(created.status == 201);
        std::string id = created.json()["result"]["id"];
        if (std::string(mode) == "manual") {
            REQUIRE(api.post(manual_routes + id + "/verify_ownership", json::object()).status == 200);
            REQUIRE(api.post(manual_routes + id + "/advance_certificate", json::object()).status == 200);
        }
        const std::string serial = created.json()["result"]["ssl"]["serial_number"];
        CHECK(read_hostname(api, id)["ssl"]["status"] == "active");
        advance_clock(api, "29d");
        CHECK(read_hostname(api, id)["ssl"]["status"] == "active");
        advance_clock(api, "2d");
        json expired = read_hostname(api, id)["ssl"];
        CHECK(expired["status"] == "expired");
        CHECK(expired["serial_number"] == serial);  // not renewed: the same certificate, shown as it is
        advance_clock(api, "100d");
        CHECK(read_hostname(api, id)["ssl"]["status"] == "expired");
    }
}

TEST_CASE("PATCH ssl: settings alone keep the method, records and certificate; a CA change needs method and type") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json created = create_dv(api, "edit.acme.io");  // txt
    std::string id = created["id"];
    REQUIRE(api.post(manual_routes + id + "/advance_certificate", json::object()).status == 200);
    json pending = read_hostname(api, id)["ssl"];
    REQUIRE(pending["status"] == "pending_validation");
    std::string token = pending["validation_records"][0]["txt_value"];

    // Settings alone, while pending: still txt, the same record, still pending_validation.
    auto edited = api.patch(hostnames + "/" + id, {{"ssl", {{"settings", {{"min_tls_version", "1.2"}}}}}});
    REQUIRE(edited.status == 202);
    json shown = edited.json()["result"]["ssl"];
    CHECK(shown["method"] == "txt");
    CHECK(shown["status"] == "pending_validation");
    CHECK(shown["validation_records"][0]["txt_value"] == token);
    CHECK(shown["settings"]["min_tls_version"] == "1.2");

    // Settings alone, once active: the issued pair stays.
    REQUIRE(api.post(manual_routes + id + "/verify_ownership", json::object()).status == 200);
    json active;
    for (int i = 0; i < 3; ++i) active = api.post(manual_routes + id + "/advance_certificate", json::object()).json()["result"];
    REQUIRE(active["ssl"]["status"] == "active");
    auto tls13 = api.patch(hostnames + "/" + id, {{"ssl", {{"settings", {{"tls_1_3", "on"}}}}}});
    REQUIRE(tls13.status == 202);
    CHECK(tls13.json()["result"]["ssl"]["status"] == "active");
    CHECK(tls13.json()["result"]["ssl"]["method"] == "txt");
    CHECK(tls13.json()["result"]["ssl"]["serial_number"] == active["ssl"]["serial_number"]);

    // A CA change without method and type: 400 / 1440, nothing changed.
    check_failure(api.patch(hostnames + "/" + id, {{"ssl", {{"certificate_authority", "lets_encrypt"}}}}), 400, 1440);
    json after = read_hostname(api, id)["ssl"];
    CHECK(after["certificate_authority"] == "google");
    CHECK(after["serial_number"] == active["ssl"]["serial_number"]);
}

TEST_CASE("the create answer of a DV hostname names its CA: the one asked for, else the default") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json created = create_dv(api, "named.acme.io");
    CHECK(created["ssl"]["status"] == "initializing");
    CHECK(created["ssl"]["certificate_authority"] == "google");
    auto chosen = api.post(hostnames, {{"hostname", "chosen.acme.io"},
                                       {"ssl", {{"method", "txt"}, {"type", "dv"}, {"certificate_authority", "ssl_com"}}}});
    REQUIRE(chosen.status == 201);
    CHECK(chosen.json()["result"]["ssl"]["certificate_authority"] == "ssl_com");
    // A refresh without a CA keeps the one chosen.
    std::string id = chosen.json()["result"]["id"];
    auto refreshed = api.patch(hostnames + "/" + id, {{"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(refreshed.status == 202);
    CHECK(refreshed.json()["result"]["ssl"]["certificate_authority"] == "ssl_com");
}
