// Advanced certificate packs end to end against the binary: the order's every refusal with its
// code, the lifecycle a client polls (no validation_records in the order answer, records while
// pending_validation, a real ECDSA + RSA pair from the test CA at active, for the hosts and the
// validity ordered), renewal on the emulator's clock, restart, delete, quota, and the SSL
// verification view of the same packs. Every response is contract-checked.
#include <doctest/doctest.h>

#include <string>

#include "api/time_text.hpp"
#include "support/api_client.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string zone_id = "7c3f6e1a2b4d4e5f8a9b0c1d2e3f4a5b";
const std::string packs = "/client/v4/zones/" + zone_id + "/ssl/certificate_packs";
const std::string verification = "/client/v4/zones/" + zone_id + "/ssl/verification";

json order_body(std::vector<std::string> hosts = {"packs.io", "www.packs.io"}, const std::string& method = "txt",
                int days = 90) {
    return {{"type", "advanced"},
            {"hosts", hosts},
            {"validation_method", method},
            {"validity_days", days},
            {"certificate_authority", "lets_encrypt"}};
}

json order(ApiClient& api, const json& body = order_body()) {
    auto answer = api.post(packs + "/order", body);
    REQUIRE(answer.status == 200);
    return answer.json()["result"];
}

json read(ApiClient& api, const std::string& id) {
    auto got = api.get(packs + "/" + id);
    REQUIRE(got.status == 200);
    return got.json()["result"];
}

std::vector<std::string> zone_args(std::vector<std::string> args) {
    args.insert(args.end(), {"--zone", "packs.io:" + zone_id});
    return args;
}

}  // namespace

TEST_CASE("certificate pack order: every refusal with its code") {
    ServerProcess server(zone_args({}));
    ApiClient api(server);
    auto refused = [&](json body, int status, int code) {
        auto answer = api.post(packs + "/order", body);
        check_failure(answer, status, code);
        return error_message(answer);
    };
    for (const char* field : {"type", "hosts", "validation_method", "validity_days", "certificate_authority"}) {
        json body = order_body();
        body.erase(field);
        CAPTURE(field);
        refused(body, 400, std::string(field) == "hosts" ? 1462 : 1460);
    }
    auto with = [](const char* key, json value) {
        json body = order_body();
        body[key] = std::move(value);
        return body;
    };
    refused(with("type", "universal"), 400, 1460);
    refused(with("validation_method", "cname"), 400, 1460);
    refused(with("validity_days", 60), 400, 1460);
    refused(with("validity_days", "90"), 400, 1460);
    refused(with("certificate_authority", "digicert"), 400, 1460);
    refused(with("cloudflare_branding", "yes"), 400, 1460);
    refused(with("hosts", json::array()), 400, 1462);
    std::vector<std::string> many{"packs.io"};
    for (int i = 0; i < 50; ++i) many.push_back("h" + std::to_string(i) + ".packs.io");
    refused(with("hosts", many), 400, 1462);
    CHECK(refused(with("hosts", {"packs.io", "www.other.io"}), 400, 1463).find("www.other.io") != std::string::npos);
    CHECK(refused(with("hosts", {"www.packs.io"}), 400, 1461) == "The hosts must contain the zone apex packs.io.");
    refused(with("hosts", {"packs.io", "bad_name!.packs.io"}), 400, 1460);
    // A wildcard is validated by TXT (or email), never by HTTP.
    refused(order_body({"packs.io", "*.packs.io"}, "http"), 400, 1460);
    auto bad_json = api.send("POST", packs + "/order", "{", {{"Authorization", "Bearer test"}, {"Content-Type", "application/json"}});
    check_failure(bad_json, 400, 1400);
    // An unknown zone: Cloudflare's zone code.
    check_failure(api.post("/client/v4/zones/00000000000000000000000000000000/ssl/certificate_packs/order", order_body()),
                  404, 1001);
    // Nothing was stored by any of them.
    auto all = api.get(packs + "?status=all");
    REQUIRE(all.status == 200);
    CHECK(all.json()["result"].empty());
    CHECK(api.get(packs + "/quota").json()["result"]["advanced"]["used"] == 0);
}

TEST_CASE("cloudflare branding: required when no host fits a common name (1469), and the first name when set") {
    // A zone whose apex is longer than 64 characters: no host can be the common name.
    const std::string long_zone = std::string(60, 'a') + ".long.io";
    const std::string long_id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    ServerProcess server({"--zone", long_zone + ":" + long_id, "--validation", "auto", "--validation-step", "0"});
    ApiClient api(server);
    const std::string path = "/client/v4/zones/" + long_id + "/ssl/certificate_packs/order";
    auto refused = api.post(path, order_body({long_zone}));
    check_failure(refused, 400, 1469);
    CHECK(error_message(refused) ==
          "Since no host is 64 characters or fewer, Cloudflare Branding is required. Please check your input and try again.");
    json body = order_body({long_zone});
    body["cloudflare_branding"] = true;
    auto branded = api.post(path, body);
    REQUIRE(branded.status == 200);
    json pack = branded.json()["result"];
    CHECK(pack["cloudflare_branding"] == true);
    REQUIRE(pack["status"] == "active");
    CHECK(pack["certificates"][0]["hosts"] == json({"sni.cloudflaressl.com", long_zone}));
}

TEST_CASE("a pack's lifecycle: empty records at order, records while pending, a real pair at active, then renewal") {
    // A step of a minute on the emulator's clock: the real time a test takes moves nothing.
    ServerProcess server(zone_args({"--validation", "auto", "--validation-step", "60000"}));
    ApiClient api(server);
    json ordered = order(api, order_body({"packs.io", "*.packs.io", "www.packs.io"}, "txt", 14));
    const std::string id = ordered["id"];
    // The order answer: initializing, no validation records yet (automation reading them now
    // finds none), no certificates.
    CHECK(ordered["status"] == "initializing");
    CHECK(ordered["type"] == "advanced");
    CHECK(ordered["hosts"] == json({"packs.io", "*.packs.io", "www.packs.io"}));
    CHECK(ordered["validity_days"] == 14);
    CHECK(ordered["certificate_authority"] == "lets_encrypt");
    CHECK(ordered["cloudflare_branding"] == false);
    CHECK_FALSE(ordered.contains("validation_records"));
    CHECK(ordered["certificates"].empty());
    // Not active yet: the default list shows only active packs.
    CHECK(api.get(packs).json()["result"].empty());
    CHECK(api.get(packs + "?status=all").json()["result"].size() == 1);

    advance_clock(api, "1m");
    json pending = read(api, id);
    REQUIRE(pending["status"] == "pending_validation");
    // One TXT record per name (the apex and its wildcard share _acme-challenge.packs.io).
    const json& records = pending["validation_records"];
    REQUIRE(records.size() == 3);
    CHECK(records[0]["txt_name"] == "_acme-challenge.packs.io");
    CHECK(records[1]["txt_name"] == "_acme-challenge.packs.io");
    CHECK(records[2]["txt_name"] == "_acme-challenge.www.packs.io");
    CHECK(records[0]["txt_value"] != records[1]["txt_value"]);
    CHECK(pending["dcv_delegation_records"].size() == 2);
    CHECK(pending["dcv_delegation_records"][0]["cname"] == "_acme-challenge.packs.io");

    // The verification view of the same pack.
    auto view = api.get(verification);
    REQUIRE(view.status == 200);
    REQUIRE(view.json()["result"].size() == 1);
    json entry = view.json()["result"][0];
    CHECK(entry["cert_pack_uuid"] == id);
    CHECK(entry["certificate_status"] == "authorizing");
    CHECK(entry["validation_method"] == "txt");
    CHECK(entry["verification_info"]["record_name"] == records[0]["txt_name"]);
    CHECK(entry["verification_status"] == false);

    advance_clock(api, "3m");
    json active = read(api, id);
    REQUIRE(active["status"] == "active");
    CHECK_FALSE(active.contains("validation_records"));
    const json& certificates = active["certificates"];
    REQUIRE(certificates.size() == 2);
    CHECK(active["primary_certificate"] == certificates[0]["id"]);
    // The pair itself: an ECDSA and an RSA leaf for exactly the hosts, valid 14 days.
    auto stored = api.get(packs + "?status=all").json()["result"][0];
    CHECK(stored["id"] == id);
    for (const auto& certificate : certificates) {
        CHECK(certificate["hosts"] == json({"packs.io", "*.packs.io", "www.packs.io"}));
        CHECK(certificate["status"] == "active");
        CHECK(certificate["zone_id"] == zone_id);
        auto issued = api::parse_rfc3339(certificate["uploaded_on"].get<std::string>());
        auto ends = api::parse_rfc3339(certificate["expires_on"].get<std::string>());
        REQUIRE((issued && ends));
        CHECK(*ends - *issued == std::chrono::hours(14 * 24));
    }
    CHECK(certificates[0]["id"] != certificates[1]["id"]);
    CHECK(api.get(packs).json()["result"].size() == 1);
    CHECK(api.get(verification).json()["result"][0]["certificate_status"] == "active");

    // A 14-day pack renews a third of its life before its end (112 hours): a new pair.
    advance_clock(api, "9d");
    CHECK(read(api, id)["certificates"][0]["serial_number"] == certificates[0]["serial_number"]);
    advance_clock(api, "12h");
    json renewed = read(api, id);
    REQUIRE(renewed["status"] == "active");
    CHECK(renewed["certificates"][0]["serial_number"] != certificates[0]["serial_number"]);
    CHECK(renewed["certificates"][0]["expires_on"] > certificates[0]["expires_on"]);
}

TEST_CASE("restart, branding, validation method, delete and quota") {
    ServerProcess server(zone_args({"--validation", "manual"}));
    ApiClient api(server);
    json pack = order(api, order_body({"packs.io"}, "txt"));
    const std::string id = pack["id"];
    // Manual mode: nothing moves it; a PATCH that restarts nothing is refused.
    CHECK(read(api, id)["status"] == "initializing");
    auto refused = api.patch(packs + "/" + id, json::object());
    check_failure(refused, 400, 1466);
    CHECK(error_message(refused).find("this one is initializing") != std::string::npos);
    // Branding is added without a restart.
    auto branded = api.patch(packs + "/" + id, {{"cloudflare_branding", true}});
    REQUIRE(branded.status == 200);
    CHECK(branded.json()["result"]["cloudflare_branding"] == true);
    CHECK(branded.json()["result"]["status"] == "initializing");

    // The validation method of a pending pack changes through the verification API.
    auto method = api.patch(verification + "/" + id, {{"validation_method", "http"}});
    REQUIRE(method.status == 200);
    CHECK(method.json()["result"] == json({{"status", "initializing"}, {"validation_method", "http"}}));
    CHECK(read(api, id)["validation_method"] == "http");
    check_failure(api.patch(verification + "/" + id, {{"validation_method", "dns"}}), 400, 1460);
    check_failure(api.patch(verification + "/4d2c7a35-6f1e-4b7a-9c3d-2e1f0a9b8c7d", {{"validation_method", "txt"}}), 404,
                  1465);

    // Manual mode's routes: advance to pending_validation (http records now), time it out with
    // an error, and PATCH restarts it from the start.
    const std::string manual = "/_emulator/zones/" + zone_id + "/certificate_packs/" + id;
    auto advanced = api.post(manual + "/advance_certificate", json::object());
    REQUIRE(advanced.status == 200);
    CHECK(advanced.json()["result"]["status"] == "pending_validation");
    const json record = advanced.json()["result"]["validation_records"][0];
    CHECK(record["http_url"] == "http://packs.io/.well-known/pki-validation/" + record["http_body"].get<std::string>() + ".txt");
    auto failed = api.post(manual + "/fail_certificate", {{"message", "DCV token not found."}});
    REQUIRE(failed.status == 200);
    CHECK(failed.json()["result"]["status"] == "validation_timed_out");
    CHECK(failed.json()["result"]["validation_errors"] == json::array({{{"message", "DCV token not found."}}}));
    check_failure(api.patch(verification + "/" + id, {{"validation_method", "txt"}}), 400, 1460);
    auto restarted = api.patch(packs + "/" + id, json::object());
    REQUIRE(restarted.status == 200);
    CHECK(restarted.json()["result"]["status"] == "initializing");
    CHECK_FALSE(restarted.json()["result"].contains("validation_errors"));
    check_failure(api.post(manual + "/no_such_move", json::object()), 404, 10404);

    // Unknown and malformed ids.
    check_failure(api.get(packs + "/4d2c7a35-6f1e-4b7a-9c3d-2e1f0a9b8c7d"), 404, 1465);
    check_failure(api.get(packs + "/not-a-uuid"), 404, 1465);
    check_failure(api.get(packs + "?status=active"), 400, 1460);

    // Quota: 100 packs per zone, counted by the quota route.
    CHECK(api.get(packs + "/quota").json()["result"] == json({{"advanced", {{"allocated", 100}, {"used", 1}}}}));
    for (int i = 1; i < 100; ++i) order(api, order_body({"packs.io"}));
    check_failure(api.post(packs + "/order", order_body({"packs.io"})), 400, 1464);
    // Paging as the SDKs page: page and per_page over status=all.
    auto page = api.get(packs + "?status=all&page=3&per_page=40");
    REQUIRE(page.status == 200);
    CHECK(page.json()["result"].size() == 20);
    CHECK(page.json()["result_info"]["total_count"] == 100);
    CHECK(page.json()["result_info"]["page"] == 3);

    auto deleted = api.del(packs + "/" + id);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.json()["result"] == json({{"id", id}}));
    check_failure(api.get(packs + "/" + id), 404, 1465);
    check_failure(api.del(packs + "/" + id), 404, 1465);
    CHECK(api.get(packs + "/quota").json()["result"]["advanced"]["used"] == 99);
}

TEST_CASE("packs are customer state: in the snapshot, gone after a reset, back from a seed") {
    ServerProcess server(zone_args({"--validation", "auto", "--validation-step", "0"}));
    ApiClient api(server);
    json pack = order(api);
    REQUIRE(pack["status"] == "active");
    auto snapshot = api.get("/_emulator/state?include_private_keys=true");
    REQUIRE(snapshot.status == 200);
    json document = snapshot.json()["result"];
    REQUIRE(document["certificate_packs"].size() == 1);
    CHECK(document["certificate_packs"][0]["id"] == pack["id"]);
    REQUIRE(api.post("/_emulator/reset", json::object()).status == 200);
    // Gone (with the zone the reset removed too).
    CHECK(api.get(packs + "/" + pack["id"].get<std::string>()).status == 404);
    REQUIRE(api.put("/_emulator/state", document).status == 200);
    json seeded = read(api, pack["id"]);
    CHECK(seeded["status"] == "active");
    CHECK(seeded["certificates"] == pack["certificates"]);
}
