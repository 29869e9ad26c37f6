// The validation lifecycle as a client sees it, against the binary: auto mode advances one
// state per step (a polling client sees each), manual mode moves only by the emulator routes,
// and statuses survive a restart.
#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "support/api_client.hpp"
#include "support/eventually.hpp"
#include "support/hostname_calls.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/time_text.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

std::pair<std::string, std::string> statuses(const json& result) {
    return {result["status"].get<std::string>(), result["ssl"]["status"].get<std::string>()};
}

// The DV certificates an active Cloudflare-managed hostname shows: ECDSA (primary) then RSA,
// issued by the emulator's test CA for the hostname alone, 90 days from issuance.
void check_issued(const json& ssl, const std::string& hostname) {
    REQUIRE(ssl.contains("certificates"));
    REQUIRE(ssl["certificates"].size() == 2);
    for (const auto& cert : ssl["certificates"]) {
        CHECK(cert["issuer"].get<std::string>().rfind("csr-emulator Test Intermediate CA", 0) == 0);
        CHECK(cert["signature"] == "ECDSAWithSHA256");
        CHECK(cert["serial_number"].is_string());
        CHECK(cert["fingerprint_sha256"].get<std::string>().size() == 64);
        CHECK(cert["issued_on"].is_string());
        CHECK(cert["expires_on"].is_string());
    }
    CHECK(ssl["certificates"][0]["serial_number"] != ssl["certificates"][1]["serial_number"]);
    // The primary's facts on the ssl object itself, as Cloudflare's active example shows them.
    CHECK(ssl["hosts"] == json::array({hostname}));
    CHECK(ssl["serial_number"] == ssl["certificates"][0]["serial_number"]);
    CHECK(ssl["issuer"] == ssl["certificates"][0]["issuer"]);
    CHECK(ssl["expires_on"] == ssl["certificates"][0]["expires_on"]);
    CHECK(ssl["uploaded_on"].is_string());
    // None was asked for: Cloudflare's default CA is named (README, Differences from Cloudflare).
    CHECK(ssl["certificate_authority"] == "google");
}

}  // namespace

TEST_CASE("auto mode: a DV hostname goes from pending/initializing to active, one state per step") {
    // 400 ms per state: a client polling every 20 ms sees each one even when a read is slow (a
    // sanitized build on a loaded machine).
    ServerProcess server({"--validation", "auto", "--validation-step", "400"});
    ApiClient api(server);
    json created = create_dv(api, "app.acme.io");
    CHECK(statuses(created) == std::pair<std::string, std::string>{"pending", "initializing"});
    CHECK_FALSE(created["ssl"].contains("validation_records"));  // Cloudflare's create answer: none yet

    // Poll as a client would, recording each ownership and certificate status seen.
    std::vector<std::string> seen{"initializing"}, owned{"pending"};
    json last;
    auto both_active = [&] {
        last = api.get(hostnames + "/" + created["id"].get<std::string>()).json()["result"];
        std::string ssl = last["ssl"]["status"], status = last["status"];
        if (seen.back() != ssl) seen.push_back(ssl);
        if (owned.back() != status) owned.push_back(status);
        return ssl == "active" && status == "active";
    };
    const bool activated = eventually(both_active, eventually_limit, std::chrono::milliseconds(20));
    INFO("certificate statuses seen: " << json(seen).dump() << ", ownership: " << json(owned).dump());
    CHECK_MESSAGE(activated, "never active with active ownership within 30 s");
    CHECK(seen == std::vector<std::string>{"initializing", "pending_validation", "pending_issuance",
                                           "pending_deployment", "active"});
    CHECK(owned == std::vector<std::string>{"pending", "active"});
    CHECK(last["status"] == "active");
    // Active: the records have done their work and are no longer shown; the DV pair is issued,
    // once (a later read shows the same certificates).
    CHECK_FALSE(last["ssl"].contains("validation_records"));
    check_issued(last["ssl"], "app.acme.io");
    CHECK(api.get(hostnames + "/" + created["id"].get<std::string>()).json()["result"]["ssl"]["certificates"] ==
          last["ssl"]["certificates"]);
    // The list shows the same settled statuses.
    auto listed = api.get(hostnames + "?hostname=app.acme.io").json()["result"];
    REQUIRE(listed.size() == 1);
    CHECK(statuses(listed[0]) == std::pair<std::string, std::string>{"active", "active"});
}

TEST_CASE("auto mode with step 0 settles at once, even in the create response") {
    ServerProcess server({"--validation", "auto", "--validation-step", "0"});
    ApiClient api(server);
    json created = create_dv(api, "now.acme.io");
    CHECK(statuses(created) == std::pair<std::string, std::string>{"active", "active"});
    check_issued(created["ssl"], "now.acme.io");
    // The next read shows the same issued pair (stored, not issued again).
    json read = api.get(hostnames + "/" + created["id"].get<std::string>()).json()["result"];
    CHECK(statuses(read) == std::pair<std::string, std::string>{"active", "active"});
    CHECK(read["ssl"]["certificates"] == created["ssl"]["certificates"]);
}

TEST_CASE("a DV pair seeded without its keys is issued anew at the next read; with its keys it is kept") {
    ServerProcess server({"--validation", "auto", "--validation-step", "0"});
    ApiClient api(server);
    json created = create_dv(api, "seeded.acme.io");
    std::string path = hostnames + "/" + created["id"].get<std::string>();
    json issued = created["ssl"]["certificates"];
    REQUIRE(issued.size() == 2);

    auto keyed = api.get("/_emulator/state?include_private_keys=true");
    REQUIRE(keyed.status == 200);
    REQUIRE(api.put("/_emulator/state", keyed.json()["result"]).status == 200);
    CHECK(api.get(path).json()["result"]["ssl"]["certificates"] == issued);

    auto keyless = api.get("/_emulator/state");
    REQUIRE(keyless.status == 200);
    REQUIRE(api.put("/_emulator/state", keyless.json()["result"]).status == 200);
    json again = api.get(path).json()["result"]["ssl"];
    check_issued(again, "seeded.acme.io");
    CHECK(again["certificates"][0]["serial_number"] != issued[0]["serial_number"]);
}

TEST_CASE("auto mode with step 0: an uploaded certificate is active at once, no DV certificate issued") {
    ServerProcess server({"--validation", "auto", "--validation-step", "0"});
    ApiClient api(server);
    auto created = create_uploaded(api, "up.acme.io");
    REQUIRE(created.status == 201);
    json result = created.json()["result"];
    CHECK(statuses(result) == std::pair<std::string, std::string>{"active", "active"});
    // The pack's one certificate is the uploaded one: no DV pair beside it.
    REQUIRE(result["ssl"]["certificates"].size() == 1);
    CHECK(result["ssl"]["certificates"][0]["serial_number"] == result["ssl"]["serial_number"]);
    CHECK(result["ssl"]["hosts"] == json::array({"up.acme.io"}));
}

TEST_CASE("manual mode: statuses move only by the emulator routes; illegal moves are 409") {
    ServerProcess server({"--validation", "manual"});
    ApiClient api(server);
    json created = create_dv(api, "app.acme.io", "http");
    std::string id = created["id"];
    CHECK(statuses(created) == std::pair<std::string, std::string>{"pending", "initializing"});
    advance_clock(api, "1h");  // however long it waits, nothing moves by time
    CHECK(statuses(api.get(hostnames + "/" + id).json()["result"]) ==
          std::pair<std::string, std::string>{"pending", "initializing"});

    auto verified = api.post(manual_routes + id + "/verify_ownership", json::object());
    REQUIRE(verified.status == 200);
    CHECK(verified.json()["result"]["status"] == "active");
    // Verifying twice is not a legal move.
    auto again = api.post(manual_routes + id + "/verify_ownership", json::object());
    check_failure(again, 409, 1400);
    CHECK(error_message(again).find("only a pending hostname can be verified") != std::string::npos);

    json validating = api.post(manual_routes + id + "/advance_certificate", json::object()).json()["result"];
    CHECK(validating["ssl"]["status"] == "pending_validation");
    // The status asked for must be the one pending_validation times out into.
    check_failure(api.post(manual_routes + id + "/fail_certificate", {{"status", "issuance_timed_out"}}), 409, 1400);
    auto failed = api.post(manual_routes + id + "/fail_certificate",
                           {{"status", "validation_timed_out"}, {"message", "TXT record not found"}});
    REQUIRE(failed.status == 200);
    CHECK(failed.json()["result"]["ssl"]["status"] == "validation_timed_out");
    CHECK(failed.json()["result"]["ssl"]["validation_errors"] == json::array({{{"message", "TXT record not found"}}}));

    // A PATCH repeating the ssl after the timeout starts a new cycle with new records (Cloudflare's
    // refresh after validation_timed_out).
    std::string token = validating["ssl"]["validation_records"][0]["http_body"];
    auto refreshed = api.patch(hostnames + "/" + id, {{"ssl", {{"method", "http"}, {"type", "dv"}}}});
    REQUIRE(refreshed.status == 202);
    CHECK(refreshed.json()["result"]["ssl"]["status"] == "initializing");
    CHECK_FALSE(refreshed.json()["result"]["ssl"].contains("validation_records"));  // shown from pending_validation
    json again_validating = api.post(manual_routes + id + "/advance_certificate", json::object()).json()["result"]["ssl"];
    CHECK(again_validating["validation_records"][0]["http_body"] != token);
    token = again_validating["validation_records"][0]["http_body"];
    // A new method mints new records.
    auto changed = api.patch(hostnames + "/" + id, {{"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(changed.status == 202);
    json txt = api.post(manual_routes + id + "/advance_certificate", json::object()).json()["result"]["ssl"];
    CHECK(txt["validation_records"][0]["txt_value"] != token);

    for (int i = 0; i < 2; ++i) REQUIRE(api.post(manual_routes + id + "/advance_certificate", json::object()).status == 200);
    // pending_deployment: nothing issued yet.
    CHECK_FALSE(api.get(hostnames + "/" + id).json()["result"]["ssl"].contains("certificates"));
    auto active = api.post(manual_routes + id + "/advance_certificate", json::object());
    REQUIRE(active.status == 200);
    check_issued(active.json()["result"]["ssl"], "app.acme.io");
    json read = api.get(hostnames + "/" + id).json()["result"];
    CHECK(statuses(read) == std::pair<std::string, std::string>{"active", "active"});
    CHECK(read["ssl"]["certificates"] == active.json()["result"]["ssl"]["certificates"]);
    check_failure(api.post(manual_routes + id + "/advance_certificate", json::object()), 409, 1400);

    CHECK(api.post(manual_routes + id + "/move", json::object()).json()["result"]["status"] == "moved");
    CHECK(api.post(manual_routes + id + "/block", json::object()).json()["result"]["status"] == "blocked");

    // Unknown hostname: the hostname service's 404, for an unknown uuid, a malformed id and an
    // id of another zone alike.
    check_failure(api.post(manual_routes + "5f0b1e7e-0000-4000-8000-000000000000/block", json::object()), 404, 1436);
    check_failure(api.post(manual_routes + "not-an-id/verify_ownership", json::object()), 404, 1436);
    check_failure(api.post("/_emulator/zones/0123456789abcdef0123456789abcdef/custom_hostnames/" + id + "/block",
                           json::object()),
                  404, 1436);
    // An unknown move is an unknown route: 404 in the envelope.
    auto unknown = api.post(manual_routes + id + "/teleport", json::object());
    CHECK(unknown.status == 404);
    CHECK(unknown.json()["success"] == false);
    // A body that is not a JSON object: 400 / 1400.
    check_failure(api.send("POST", manual_routes + id + "/fail_certificate", "[1, 2", {}), 400, 1400);
}

TEST_CASE("statuses survive a restart; auto timers resume from the stored times") {
    TempDir dir;
    std::string db = dir.file("emulator.sqlite3");
    std::string id;
    json issued;
    {
        ServerProcess first({"--validation", "manual", "--db", db});
        ApiClient api(first);
        id = create_dv(api, "keep.acme.io")["id"];
        REQUIRE(api.post(manual_routes + id + "/verify_ownership", json::object()).status == 200);
        REQUIRE(api.post(manual_routes + id + "/advance_certificate", json::object()).status == 200);
    }
    {
        ServerProcess again({"--validation", "manual", "--db", db});
        ApiClient api(again);
        CHECK(statuses(api.get(hostnames + "/" + id).json()["result"]) ==
              std::pair<std::string, std::string>{"active", "pending_validation"});
    }
    {
        // In auto mode the time since the last change counts: the clock starts an hour on, well
        // over three steps after the stored times, as if the restart had taken that long.
        ServerProcess later({"--validation", "auto", "--validation-step", "100", "--db", db, "--clock-start",
                             rfc3339(std::time(nullptr) + 3600)});
        ApiClient api(later);
        json result = api.get(hostnames + "/" + id).json()["result"];
        CHECK(statuses(result) == std::pair<std::string, std::string>{"active", "active"});
        check_issued(result["ssl"], "keep.acme.io");
        issued = result["ssl"]["certificates"];
    }
    {
        // The issued pair (its keys sealed at rest like every key) is read back after a restart.
        ServerProcess last({"--validation", "auto", "--validation-step", "100", "--db", db});
        ApiClient api(last);
        CHECK(api.get(hostnames + "/" + id).json()["result"]["ssl"]["certificates"] == issued);
    }
}
