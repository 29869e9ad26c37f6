// Custom hostnames end to end: the real binary, over HTTP, every response contract-checked.
// Certificates come from the emulator's test CA (POST /_emulator/ca/sign), or are built here
// with crypto:: for the cases the test CA would never issue.
#include <doctest/doctest.h>

#include <set>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "crypto/emulator_ca.hpp"
#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

json hostname_ssl_for_csr(const std::string& csr_id, const std::string& chain) {
    return {{"custom_csr_id", csr_id}, {"custom_certificate", chain}};
}

json hostname_body(const std::string& hostname, const json& ssl) { return {{"hostname", hostname}, {"ssl", ssl}}; }

std::int64_t hostnames_named(ApiClient& client, const std::string& hostname, const std::string& zone = zone_a) {
    return client.get(zone_hostnames(zone) + "?hostname=" + hostname).json()["result_info"]["total_count"].get<std::int64_t>();
}

}  // namespace

TEST_CASE("create with custom_csr_id and a certificate the test CA signed: 201, the leaf's facts in ssl, no key") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io", "www.acme.io", "*.shop.acme.io"});
    std::string chain = emulator_sign(client, csr.pem);
    auto leaf = leaf_of(chain);
    std::int64_t before = unix_now();

    auto response = client.post(zone_hostnames(), hostname_body("app.acme.io", hostname_ssl_for_csr(csr.id, chain)));
    INFO(response.body);
    REQUIRE(response.status == 201);
    check_no_key(response);
    CHECK(response.body.find("BEGIN CERTIFICATE") == std::string::npos);
    json h = response.json()["result"];
    std::string id = h["id"];
    CHECK(id.size() == 36);
    CHECK(h["hostname"] == "app.acme.io");
    CHECK(h["status"] == "active");
    CHECK(h["created_at"].get<std::string>().ends_with("Z"));
    // Ownership is verified (validation off): its instructions are no longer shown.
    CHECK_FALSE(h.contains("ownership_verification"));
    CHECK_FALSE(h.contains("ownership_verification_http"));

    json ssl = h["ssl"];
    CHECK(ssl["id"].get<std::string>().size() == 36);
    CHECK(ssl["status"] == "active");
    CHECK(ssl["type"] == "dv");
    CHECK(ssl["bundle_method"] == "ubiquitous");
    CHECK(ssl["custom_csr_id"] == csr.id);
    check_certificate_facts(ssl, leaf, with_serial_number);
    CHECK(ssl["issuer"].get<std::string>().starts_with("csr-emulator Test Intermediate CA"));
    CHECK(ssl["signature"] == "ECDSAWithSHA256");
    CHECK(ssl["hosts"] == json{"app.acme.io", "www.acme.io", "*.shop.acme.io"});
    // 90 days by default, from the moment of signing.
    CHECK(leaf.not_after >= before + 90 * day - 120);
    CHECK(leaf.not_after <= before + 90 * day + 120);
    std::string uploaded_on = ssl["uploaded_on"];
    CHECK(uploaded_on >= rfc3339(before - 2));
    CHECK(uploaded_on <= rfc3339(unix_now() + 2));
    CHECK_FALSE(ssl.contains("validation_records"));

    auto got = client.get(zone_hostnames() + "/" + id);
    CHECK(got.status == 200);
    CHECK(got.json()["result"] == h);
    check_no_key(got);

    SUBCASE("the same certificate serves several hostnames it covers, wildcards per RFC 6125") {
        for (std::string hostname : {"www.acme.io", "a1.shop.acme.io", "*.shop.acme.io"}) {
            CAPTURE(hostname);
            auto r = client.post(zone_hostnames(), hostname_body(hostname, hostname_ssl_for_csr(csr.id, chain)));
            CHECK(r.status == 201);
            CHECK(r.json()["result"]["ssl"]["serial_number"] == leaf.serial_number);
        }
        for (std::string hostname : {"shop.acme.io", "a.b.shop.acme.io", "acme.io"}) {
            CAPTURE(hostname);
            auto r = client.post(zone_hostnames(), hostname_body(hostname, hostname_ssl_for_csr(csr.id, chain)));
            check_failure(r, 400, 1446);
            CHECK(error_message(r).find(hostname) != std::string::npos);
        }
        CHECK(client.get(zone_hostnames()).json()["result_info"]["total_count"] == 4);
    }
    SUBCASE("the hostname is kept in lower case") {
        auto r = client.post(zone_hostnames(), hostname_body("WWW.Acme.IO", hostname_ssl_for_csr(csr.id, chain)));
        REQUIRE(r.status == 201);
        CHECK(r.json()["result"]["hostname"] == "www.acme.io");
    }
}

TEST_CASE("create with custom_certificate + custom_key (no CSR): the same checks against that key") {
    auto& s = shared();
    std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    std::string chain = emulator_sign(s.client, crypto::create_csr(subject_for("own.acme.io"), {"own.acme.io"}, key));

    SUBCASE("201, without custom_csr_id, the key not echoed") {
        auto r = s.client.post(zone_hostnames(), hostname_body("own.acme.io", {{"custom_certificate", chain}, {"custom_key", key}}));
        INFO(r.body);
        REQUIRE(r.status == 201);
        check_no_key(r);
        json ssl = r.json()["result"]["ssl"];
        CHECK_FALSE(ssl.contains("custom_csr_id"));
        CHECK(ssl["status"] == "active");
        check_certificate_facts(ssl, leaf_of(chain), with_serial_number);
        CHECK(s.client.del(zone_hostnames() + "/" + r.json()["result"]["id"].get<std::string>()).status == 200);
    }
    SUBCASE("1428: the key cannot be parsed") {
        check_failure(s.client.post(zone_hostnames(), hostname_body("own.acme.io", {{"custom_certificate", chain}, {"custom_key", "not a key"}})),
                      400, 1428);
    }
    SUBCASE("1429: another key") {
        check_failure(s.client.post(zone_hostnames(),
                                    hostname_body("own.acme.io", {{"custom_certificate", chain}, {"custom_key", material().other_key}})),
                      400, 1429);
    }
    SUBCASE("1434: custom_key and custom_csr_id together") {
        check_failure(s.client.post(zone_hostnames(), hostname_body("own.acme.io", {{"custom_certificate", chain},
                                                                                   {"custom_key", key},
                                                                                   {"custom_csr_id", s.csr.id}})),
                      400, 1434);
    }
    CHECK(hostnames_named(s.client, "own.acme.io") == 0);
}

TEST_CASE("a Cloudflare-managed DV hostname: pending, with validation records for its method") {
    auto& s = shared();
    auto create = [&](const std::string& hostname, const std::string& method) {
        auto r = s.client.post(zone_hostnames(), hostname_body(hostname, {{"method", method}, {"type", "dv"}}));
        INFO(r.body);
        REQUIRE(r.status == 201);
        json h = r.json()["result"];
        CHECK(h["status"] == "pending");
        CHECK(h["ownership_verification"]["type"] == "txt");
        CHECK(h["ownership_verification"]["name"] == "_cf-custom-hostname." + hostname);
        CHECK(h["ownership_verification"]["value"].get<std::string>().size() == 36);
        CHECK(h["ownership_verification_http"]["http_url"] ==
              "http://" + hostname + "/.well-known/cf-custom-hostname-challenge/" + h["id"].get<std::string>());
        CHECK(h["ownership_verification_http"]["http_body"] == h["ownership_verification"]["value"]);
        // Cloudflare's create answer: initializing, no records yet; the next read has them.
        CHECK(h["ssl"]["status"] == "initializing");
        CHECK_FALSE(h["ssl"].contains("validation_records"));
        h = s.client.get(zone_hostnames() + "/" + h["id"].get<std::string>()).json()["result"];
        CHECK(h["ssl"]["status"] == "pending_validation");
        CHECK(h["ssl"]["method"] == method);
        CHECK(h["ssl"]["type"] == "dv");
        CHECK_FALSE(h["ssl"].contains("custom_csr_id"));
        CHECK_FALSE(h["ssl"].contains("serial_number"));
        REQUIRE(h["ssl"]["validation_records"].size() == 1);
        CHECK(s.client.del(zone_hostnames() + "/" + h["id"].get<std::string>()).status == 200);
        return h["ssl"]["validation_records"][0];
    };
    json txt = create("dv-txt.acme.io", "txt");
    CHECK(txt["txt_name"] == "_acme-challenge.dv-txt.acme.io");
    CHECK(txt["txt_value"].get<std::string>().size() == 43);
    CHECK(txt["status"] == "pending");
    json http = create("dv-http.acme.io", "http");
    CHECK(http["http_url"].get<std::string>().starts_with("http://dv-http.acme.io/.well-known/pki-validation/"));
    CHECK_FALSE(http["http_body"].get<std::string>().empty());
    json email = create("dv-email.acme.io", "email");
    CHECK(email["emails"].size() == 5);
    CHECK(email["emails"][0] == "admin@acme.io");  // the registrable domain's

    SUBCASE("1440: method without type") {
        check_failure(s.client.post(zone_hostnames(), hostname_body("dv.acme.io", {{"method", "txt"}})), 400, 1440);
    }
    CHECK(hostnames_named(s.client, "dv.acme.io") == 0);
}

TEST_CASE("ssl.settings: echoed with the certificate; each invalid setting with its code") {
    auto& s = shared();
    std::string chain = emulator_sign(s.client, s.csr.pem);
    json ssl = hostname_ssl_for_csr(s.csr.id, chain);
    ssl["settings"] = {{"min_tls_version", "1.2"}, {"http2", "on"}, {"tls_1_3", "off"}, {"ciphers", {"ECDHE-ECDSA-AES128-GCM-SHA256"}}};
    auto r = s.client.post(zone_hostnames(), hostname_body("app.acme.io", ssl));
    INFO(r.body);
    REQUIRE(r.status == 201);
    CHECK(r.json()["result"]["ssl"]["settings"] == ssl["settings"]);
    CHECK(s.client.del(zone_hostnames() + "/" + r.json()["result"]["id"].get<std::string>()).status == 200);

    auto refused = [&](const json& settings, int code) {
        CAPTURE(settings.dump());
        json bad = ssl;
        bad["settings"] = settings;
        check_failure(s.client.post(zone_hostnames(), hostname_body("app.acme.io", bad)), 400, code);
    };
    // A few end to end; every setting's code is unit-tested in tests/api.
    refused({{"http2", "yes"}}, 1422);
    refused({{"ciphers", {"ECDHE-ECDSA-AES128-GCM-SHA256"}}, {"min_tls_version", "1.3"}}, 1443);
    refused({{"brotli", "on"}}, 1434);
    CHECK(hostnames_named(s.client, "app.acme.io") == 0);
}

TEST_CASE("list: pages, hostname and id filters (1438 combined), hostname.contain (1437), ssl=1, order") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"*.shop.acme.io"});
    std::string chain = emulator_sign(client, csr.pem);
    // Creation order: three with a certificate (active), two managed (pending_validation), two
    // without ssl.
    std::vector<std::string> ids, names = {"a1.shop.acme.io", "a2.shop.acme.io", "a3.shop.acme.io", "dv1.acme.io",
                                           "dv2.acme.io",     "plain1.acme.io",  "plain2.acme.io"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        json body = {{"hostname", names[i]}};
        if (i < 3) body["ssl"] = hostname_ssl_for_csr(csr.id, chain);
        else if (i < 5) body["ssl"] = {{"method", "http"}, {"type", "dv"}};
        auto r = client.post(zone_hostnames(), body);
        INFO(r.body);
        REQUIRE(r.status == 201);
        ids.push_back(r.json()["result"]["id"]);
    }
    // Another zone's hostnames never show.
    REQUIRE(client.post(zone_hostnames(zone_b), {{"hostname", "a1.shop.acme.io"}}).status == 201);

    auto hostnames_of = [&](const std::string& query) {
        auto r = client.get(zone_hostnames() + query);
        INFO(query << " -> " << r.body);
        REQUIRE(r.status == 200);
        json out = json::array(), body = r.json();
        for (const auto& h : body["result"]) out.push_back(h["hostname"]);
        return out;
    };
    SUBCASE("page and per_page, in creation order; past the end is an empty 200") {
        auto first = client.get(zone_hostnames() + "?per_page=5&page=1").json();
        CHECK(first["result_info"] == json{{"page", 1}, {"per_page", 5}, {"count", 5}, {"total_count", 7}, {"total_pages", 2}});
        auto second = client.get(zone_hostnames() + "?per_page=5&page=2").json();
        CHECK(second["result_info"]["count"] == 2);
        std::vector<std::string> seen;
        for (const auto& h : first["result"]) seen.push_back(h["id"]);
        for (const auto& h : second["result"]) seen.push_back(h["id"]);
        CHECK(seen == ids);
        auto past = client.get(zone_hostnames() + "?per_page=5&page=3");
        CHECK(past.status == 200);
        CHECK(past.json()["result"] == json::array());
        CHECK(client.get(zone_hostnames()).json()["result_info"]["per_page"] == 20);
    }
    SUBCASE("hostname: the exact name") {
        CHECK(hostnames_of("?hostname=a2.shop.acme.io") == json::array({"a2.shop.acme.io"}));
        CHECK(hostnames_of("?hostname=A2.SHOP.acme.io") == json::array({"a2.shop.acme.io"}));
        CHECK(hostnames_of("?hostname=shop.acme.io").empty());
    }
    SUBCASE("id: that one hostname; 1438 with any other filter") {
        auto r = client.get(zone_hostnames() + "?id=" + ids[3]).json();
        REQUIRE(r["result"].size() == 1);
        CHECK(r["result"][0]["id"] == ids[3]);
        check_failure(client.get(zone_hostnames() + "?id=" + ids[3] + "&hostname=dv1.acme.io"), 400, 1438);
        check_failure(client.get(zone_hostnames() + "?id=" + ids[3] + "&hostname.contain=dv"), 400, 1438);
        check_failure(client.get(zone_hostnames() + "?id=" + ids[3] + "&ssl=1"), 400, 1438);
        // Paging is not a filter.
        CHECK(client.get(zone_hostnames() + "?id=" + ids[3] + "&page=1&per_page=5").status == 200);
    }
    SUBCASE("hostname.contain: a substring; 1437 when invalid") {
        CHECK(hostnames_of("?hostname.contain=shop") ==
              json::array({"a1.shop.acme.io", "a2.shop.acme.io", "a3.shop.acme.io"}));
        CHECK(hostnames_of("?hostname.contain=plain2") == json::array({"plain2.acme.io"}));
        CHECK(hostnames_of("?hostname.contain=nothing-here").empty());
        check_failure(client.get(zone_hostnames() + "?hostname.contain=a%2Fb"), 400, 1437);
        check_failure(client.get(zone_hostnames() + "?hostname.contain="), 400, 1437);
    }
    SUBCASE("ssl=1: only hostnames with an ssl configuration; ssl=0 is no filter") {
        CHECK(hostnames_of("?ssl=1") == json(std::vector<std::string>(names.begin(), names.begin() + 5)));
        CHECK(hostnames_of("?ssl=0") == json(names));
    }
    SUBCASE("order=ssl_status, direction asc and desc") {
        // No ssl sorts first (empty status), then active, then pending_validation.
        std::vector<std::string> asc = {"plain1.acme.io",  "plain2.acme.io", "a1.shop.acme.io", "a2.shop.acme.io",
                                        "a3.shop.acme.io", "dv1.acme.io",    "dv2.acme.io"};
        CHECK(hostnames_of("?order=ssl_status") == json(asc));
        CHECK(hostnames_of("?order=ssl_status&direction=desc") == json(std::vector<std::string>(asc.rbegin(), asc.rend())));
        CHECK(hostnames_of("?direction=desc") == json(std::vector<std::string>(names.rbegin(), names.rend())));
        check_failure(client.get(zone_hostnames() + "?order=name"), 400, 1400);
        check_failure(client.get(zone_hostnames() + "?direction=up"), 400, 1400);
    }
}

TEST_CASE("get: 1435 for a malformed id, 1436 for an unknown one or another zone's") {
    auto& s = shared();
    auto created = s.client.post(zone_hostnames(), {{"hostname", "get.acme.io"}});
    REQUIRE(created.status == 201);
    std::string id = created.json()["result"]["id"];
    CHECK(s.client.get(zone_hostnames() + "/" + id).json()["result"] == created.json()["result"]);
    check_failure(s.client.get(zone_hostnames() + "/not-a-uuid"), 400, 1435);
    check_failure(s.client.get(zone_hostnames() + "/0d89c70d-ad9f-4843-b99f-6cc0252067e9"), 404, 1436);
    check_failure(s.client.get(zone_hostnames(zone_b) + "/" + id), 404, 1436);
    check_failure(s.client.patch(zone_hostnames(zone_b) + "/" + id, {{"custom_metadata", {{"k", "v"}}}}), 404, 1436);
    check_failure(s.client.del(zone_hostnames(zone_b) + "/" + id), 404, 1436);
    CHECK(s.client.del(zone_hostnames() + "/" + id).status == 200);
}

TEST_CASE("PATCH: 202; ssl replaced by a renewed certificate for the same CSR, custom_metadata, no hostname change") {
    auto& s = shared();
    std::string first_chain = emulator_sign(s.client, s.csr.pem);
    auto created = s.client.post(zone_hostnames(), hostname_body("app.acme.io", hostname_ssl_for_csr(s.csr.id, first_chain)));
    REQUIRE(created.status == 201);
    json original = created.json()["result"];
    std::string id = original["id"];
    std::string path = zone_hostnames() + "/" + id;

    SUBCASE("a renewed certificate for the same CSR replaces the old one") {
        std::string renewed = emulator_sign(s.client, s.csr.pem, 30);
        auto r = s.client.patch(path, {{"ssl", hostname_ssl_for_csr(s.csr.id, renewed)}});
        INFO(r.body);
        REQUIRE(r.status == 202);
        check_no_key(r);
        json h = r.json()["result"];
        CHECK(h["id"] == id);
        CHECK(h["hostname"] == "app.acme.io");
        CHECK(h["created_at"] == original["created_at"]);
        CHECK(h["status"] == "active");
        check_certificate_facts(h["ssl"], leaf_of(renewed), with_serial_number);
        CHECK(h["ssl"]["serial_number"] != original["ssl"]["serial_number"]);
        CHECK(h["ssl"]["expires_on"] < original["ssl"]["expires_on"]);
        CHECK(s.client.get(path).json()["result"] == h);
    }
    SUBCASE("custom_metadata and the origin fields; ssl untouched when absent") {
        auto r = s.client.patch(path, {{"custom_metadata", {{"customer", "acme"}, {"plan", "gold"}}},
                                       {"custom_origin_server", "origin.acme.io"},
                                       {"custom_origin_sni", "sni.acme.io"}});
        INFO(r.body);
        REQUIRE(r.status == 202);
        json h = r.json()["result"];
        CHECK(h["custom_metadata"] == json{{"customer", "acme"}, {"plan", "gold"}});
        CHECK(h["custom_origin_server"] == "origin.acme.io");
        CHECK(h["custom_origin_sni"] == "sni.acme.io");
        CHECK(h["ssl"] == original["ssl"]);
        check_failure(s.client.patch(path, {{"custom_metadata", {{"n", 1}}}}), 400, 1401);
        check_failure(s.client.patch(path, {{"custom_origin_server", "*.acme.io"}}), 400, 1420);
        check_failure(s.client.patch(path, {{"custom_origin_sni", "sni.example.com"}}), 400, 1419);
        check_failure(s.client.patch(path, {{"custom_origin_sni", "bad!.acme.io"}}), 400, 1415);
        auto placeholder = s.client.patch(path, {{"custom_origin_sni", ":request_host_header:"}});
        REQUIRE(placeholder.status == 202);
        CHECK(placeholder.json()["result"]["custom_origin_sni"] == ":request_host_header:");
        h = placeholder.json()["result"];
        CHECK(s.client.get(path).json()["result"] == h);
        // 1415: the SNI cannot stay without its origin server (the fallback origin's is not configurable).
        check_failure(s.client.patch(path, {{"custom_origin_server", ""}}), 400, 1415);
        CHECK(s.client.get(path).json()["result"] == h);
    }
    SUBCASE("1439: the hostname itself cannot change; the same name is no change") {
        check_failure(s.client.patch(path, {{"hostname", "www.acme.io"}}), 409, 1439);
        CHECK(s.client.patch(path, {{"hostname", "APP.acme.io"}}).status == 202);
    }
    SUBCASE("the replacement goes through the same checks; a refused one leaves the old certificate") {
        std::string elsewhere = emulator_sign(
            s.client, crypto::create_csr(subject_for("elsewhere.acme.io"), {"elsewhere.acme.io"}, s.csr_key));
        check_failure(s.client.patch(path, {{"ssl", hostname_ssl_for_csr(s.csr.id, elsewhere)}}), 400, 1446);
        check_failure(s.client.patch(path, {{"ssl", hostname_ssl_for_csr(s.csr.id, "")}}), 400, 1427);
        CHECK(s.client.get(path).json()["result"] == original);
    }
    SUBCASE("unknown and malformed ids") {
        check_failure(s.client.patch(zone_hostnames() + "/0d89c70d-ad9f-4843-b99f-6cc0252067e9", {{"custom_metadata", json::object()}}),
                      404, 1436);
        check_failure(s.client.patch(zone_hostnames() + "/xyz", {{"custom_metadata", json::object()}}), 400, 1435);
    }
    CHECK(s.client.del(path).status == 200);
}

TEST_CASE("delete: the bare {id} and the envelope with result {id} in one body; then 1436") {
    auto& s = shared();
    auto created = s.client.post(zone_hostnames(), hostname_body("del.acme.io", {{"method", "txt"}, {"type", "dv"}}));
    REQUIRE(created.status == 201);
    std::string id = created.json()["result"]["id"];
    auto r = s.client.del(zone_hostnames() + "/" + id);
    REQUIRE(r.status == 200);
    CHECK(r.json() == json{{"id", id}, {"success", true}, {"errors", json::array()}, {"messages", json::array()}, {"result", {{"id", id}}}});
    check_failure(s.client.get(zone_hostnames() + "/" + id), 404, 1436);
    check_failure(s.client.del(zone_hostnames() + "/" + id), 404, 1436);
    check_failure(s.client.del(zone_hostnames() + "/bad-id"), 400, 1435);
}

TEST_CASE("409 / 1406: a duplicate hostname in the zone; the same name in another zone is fine") {
    auto& s = shared();
    auto first = s.client.post(zone_hostnames(), {{"hostname", "dup.acme.io"}});
    REQUIRE(first.status == 201);
    auto again = s.client.post(zone_hostnames(), {{"hostname", "dup.acme.io"}});
    check_failure(again, 409, 1406);
    // A deterministic 409: the SDKs that retry 409s are told not to.
    CHECK(again.header("x-should-retry") == std::optional<std::string>("false"));
    check_failure(s.client.post(zone_hostnames(), {{"hostname", "DUP.ACME.IO"}}), 409, 1406);
    auto other_zone = s.client.post(zone_hostnames(zone_b), {{"hostname", "dup.acme.io"}});
    CHECK(other_zone.status == 201);
    CHECK(hostnames_named(s.client, "dup.acme.io") == 1);
    CHECK(s.client.del(zone_hostnames() + "/" + first.json()["result"]["id"].get<std::string>()).status == 200);
    CHECK(s.client.del(zone_hostnames(zone_b) + "/" + other_zone.json()["result"]["id"].get<std::string>()).status == 200);
}

TEST_CASE("hostname rules end to end (1407, 1411, 1400); each of 1407-1411 is unit-tested in tests/api") {
    auto& s = shared();
    auto refused = [&](const json& body, int code) {
        CAPTURE(body.dump());
        check_failure(s.client.post(zone_hostnames(), body), 400, code);
    };
    SUBCASE("1407: invalid custom hostname (special characters, IP address, missing, too long)") {
        refused({{"hostname", "bad_host!.acme.io"}}, 1407);
        refused({{"hostname", "192.0.2.1"}}, 1407);
        refused({{"hostname", "-app.acme.io"}}, 1407);
        refused({{"hostname", std::string(250, 'a') + ".acme.io"}}, 1407);
        refused(json::object(), 1407);
    }
    SUBCASE("1411: ends in example.com") { refused({{"hostname", "app.example.com"}}, 1411); }
    SUBCASE("1400: hostname of the wrong type") { refused({{"hostname", 42}}, 1400); }
    CHECK(s.client.get(zone_hostnames() + "?hostname.contain=example").json()["result"] == json::array());
}

TEST_CASE("custom_csr_id: 1430 malformed, 1431 unknown or of another zone") {
    auto& s = shared();
    std::string chain = emulator_sign(s.client, s.csr.pem);
    SUBCASE("1430: malformed") {
        check_failure(s.client.post(zone_hostnames(), hostname_body("app.acme.io", hostname_ssl_for_csr("7b163417", chain))), 400, 1430);
    }
    SUBCASE("1431: unknown") {
        check_failure(s.client.post(zone_hostnames(),
                                    hostname_body("app.acme.io", hostname_ssl_for_csr("7b163417-1d2b-4c84-a38a-2fb7a0cd7752", chain))),
                      404, 1431);
    }
    SUBCASE("1431: the CSR of another zone, with a certificate for it") {
        auto other = create_zone_csr(s.client, {"app.acme.io"}, zone_b);
        std::string other_chain = emulator_sign(s.client, other.pem);
        check_failure(s.client.post(zone_hostnames(), hostname_body("app.acme.io", hostname_ssl_for_csr(other.id, other_chain))), 404, 1431);
        // In its own zone it is fine.
        auto own = s.client.post(zone_hostnames(zone_b), hostname_body("app.acme.io", hostname_ssl_for_csr(other.id, other_chain)));
        CHECK(own.status == 201);
        CHECK(s.client.del(zone_hostnames(zone_b) + "/" + own.json()["result"]["id"].get<std::string>()).status == 200);
    }
    CHECK(hostnames_named(s.client, "app.acme.io") == 0);
}

TEST_CASE("certificate refusals, each with a certificate built for the case") {
    auto& s = shared();
    auto& m = material();
    const std::string hostname = "app.acme.io";
    auto post = [&](const json& ssl) { return s.client.post(zone_hostnames(), hostname_body(hostname, ssl)); };
    auto refused = [&](const std::string& chain, int code) {
        auto r = post(hostname_ssl_for_csr(s.csr.id, chain));
        check_failure(r, 400, code);
        CHECK(hostnames_named(s.client, hostname) == 0);
        return r;
    };
    auto accepted = [&](const json& ssl) {
        auto r = post(ssl);
        INFO(r.body);
        REQUIRE(r.status == 201);
        CHECK(s.client.del(zone_hostnames() + "/" + r.json()["result"]["id"].get<std::string>()).status == 200);
        return r.json()["result"];
    };

    SUBCASE("1441: self-signed, for the CSR's own key") {
        refused(crypto::create_self_signed(s.csr_key, {"app.acme.io", "www.acme.io"}, m.valid()), 1441);
    }
    SUBCASE("1441: signed by an unknown root") { refused(crypto::sign_csr(m.unknown, s.csr.pem, m.valid()), 1441); }
    SUBCASE("1441: signed by an unknown root, with that root in the chain") {
        refused(crypto::sign_csr(m.unknown, s.csr.pem, m.valid()) + m.unknown.root_certificate_pem, 1441);
    }
    SUBCASE("1429: for another key") {
        std::string other_csr = crypto::create_csr(subject_for(hostname), {hostname}, m.other_key);
        refused(emulator_sign(s.client, other_csr), 1429);
    }
    SUBCASE("1446: for another hostname (the CSR's key, other SANs)") {
        std::string csr = crypto::create_csr(subject_for("elsewhere.acme.io"), {"elsewhere.acme.io"}, s.csr_key);
        auto r = refused(emulator_sign(s.client, csr), 1446);
        CHECK(error_message(r).find(hostname) != std::string::npos);
    }
    SUBCASE("1441: expired (a trusted root, the CSR's key, the hostname: only the dates are wrong)") {
        auto r = refused(crypto::sign_csr(m.trusted, s.csr.pem, {m.now - 100 * day, m.now - 10 * day, "sha256"}), 1441);
        CHECK(error_message(r).find("expired") != std::string::npos);
    }
    SUBCASE("1441: expires within 14 days (Cloudflare's upload rule; this service documents no code of its own)") {
        auto r = refused(emulator_sign(s.client, s.csr.pem, 14), 1441);
        CHECK(error_message(r).find("certificate expires at") != std::string::npos);
        accepted(hostname_ssl_for_csr(s.csr.id, emulator_sign(s.client, s.csr.pem, 15)));
    }
    SUBCASE("1434: a P-224 key, under ECDSA's 225 bits (with custom_key)") {
        std::string key = openssl_genpkey("-algorithm EC -pkeyopt ec_paramgen_curve:P-224");
        std::string chain = emulator_sign(s.client, crypto::create_csr(subject_for(hostname), {hostname}, key));
        auto r = post({{"custom_certificate", chain}, {"custom_key", key}});
        check_failure(r, 400, 1434);
        CHECK(error_message(r).find("EC key of 224 bits") != std::string::npos);
        CHECK(hostnames_named(s.client, hostname) == 0);
    }
    SUBCASE("1441: not yet valid") {
        auto r = refused(crypto::sign_csr(m.trusted, s.csr.pem, {m.now + 10 * day, m.now + 100 * day, "sha256"}), 1441);
        CHECK(error_message(r).find("valid from") != std::string::npos);
    }
    SUBCASE("1444: a chain with two leaves") {
        std::string first = emulator_sign(s.client, s.csr.pem);
        std::string second = emulator_sign(s.client, s.csr.pem);
        refused(leaf_of(second).pem + first, 1444);
    }
    SUBCASE("1445: no leaf, only CA certificates (the test root; its intermediate and root)") {
        std::string root = emulator_root(s.client);
        refused(root, 1445);
        std::string intermediate = s.client.send("GET", "/_emulator/ca/intermediate.pem", {}, {}).body;
        refused(intermediate + root, 1445);
    }
    SUBCASE("1447: SHA-384 signature (a trusted root, otherwise fine)") {
        auto r = refused(crypto::sign_csr(m.trusted, s.csr.pem, {m.now - day, m.now + 30 * day, "sha384"}), 1447);
        CHECK(error_message(r).find("SHA384") != std::string::npos);
    }
    SUBCASE("1426: unparsable") {
        refused("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n", 1426);
        refused("hello, this is not PEM", 1426);
    }
    SUBCASE("1427: empty") {
        refused("", 1427);
        refused(" \r\n\t", 1427);
    }
    SUBCASE("the control: the same trusted root with valid dates and SHA-256 is accepted") {
        std::string chain = crypto::sign_csr(m.trusted, s.csr.pem, m.valid());
        json h = accepted(hostname_ssl_for_csr(s.csr.id, chain));
        check_certificate_facts(h["ssl"], leaf_of(chain), with_serial_number);
    }
    SUBCASE("bundle_method force lets the unknown-root chain in, and still checks the key") {
        std::string chain = crypto::sign_csr(m.unknown, s.csr.pem, m.valid());
        json ssl = hostname_ssl_for_csr(s.csr.id, chain);
        ssl["bundle_method"] = "force";
        json h = accepted(ssl);
        CHECK(h["ssl"]["bundle_method"] == "force");
        CHECK(h["ssl"]["status"] == "active");
        check_certificate_facts(h["ssl"], leaf_of(chain), with_serial_number);

        std::string other_csr = crypto::create_csr(subject_for(hostname), {hostname}, m.other_key);
        ssl["custom_certificate"] = crypto::sign_csr(m.unknown, other_csr, m.valid());
        check_failure(post(ssl), 400, 1429);
    }
}

TEST_CASE("--trust-bundle: a chain to a root given with it is accepted, and refused without it") {
    auto& m = material();
    std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    std::string chain = crypto::sign_csr(m.trusted, crypto::create_csr(subject_for("tb.acme.io"), {"tb.acme.io"}, key), m.valid());
    json body = hostname_body("tb.acme.io", {{"custom_certificate", chain}, {"custom_key", key}});
    {
        ServerProcess without({"--key-pool", "0"});
        ApiClient client(without);
        check_failure(client.post(zone_hostnames(), body), 400, 1441);
    }
    ServerProcess with({"--key-pool", "0", "--trust-bundle", m.trusted_bundle});
    ApiClient client(with);
    CHECK(client.post(zone_hostnames(), body).status == 201);
}

TEST_CASE("--ca-dir: the pinned root signs through its intermediate, and chains to it are trusted") {
    auto& m = material();
    auto pinned = crypto::create_emulator_ca(m.now);
    TempDir dir;
    write_file(dir.file("root.pem"), pinned.root_certificate_pem);
    write_file(dir.file("root.key"), pinned.root_private_key_pem);
    ServerProcess server({"--key-pool", "0", "--ca-dir", dir.path().string()});
    ApiClient client(server);

    CHECK(emulator_root(client) == pinned.root_certificate_pem);
    auto csr = create_zone_csr(client, {"pin.acme.io"});
    std::string chain = emulator_sign(client, csr.pem);
    // The emulator's chain leads to the pinned root, and only to it.
    crypto::TrustStore only_pinned;
    only_pinned.add_pem(pinned.root_certificate_pem);
    crypto::CertificateCheck check{chain, std::nullopt, {"pin.acme.io"}, false, unix_now()};
    CHECK(crypto::check_certificate(check, only_pinned).problem == crypto::CertificateProblem::none);
    crypto::TrustStore other;
    other.add_pem(m.unknown.root_certificate_pem);
    CHECK(crypto::check_certificate(check, other).problem == crypto::CertificateProblem::untrusted);

    auto r = client.post(zone_hostnames(), hostname_body("pin.acme.io", hostname_ssl_for_csr(csr.id, chain)));
    INFO(r.body);
    CHECK(r.status == 201);
    // A chain through another intermediate under the pinned root (made with its key) is trusted too.
    auto own_intermediate = crypto::create_intermediate(pinned.root_certificate_pem, pinned.root_private_key_pem, m.now);
    auto csr2 = create_zone_csr(client, {"pin2.acme.io"});
    r = client.post(zone_hostnames(),
                    hostname_body("pin2.acme.io", hostname_ssl_for_csr(csr2.id, crypto::sign_csr(own_intermediate, csr2.pem, m.valid()))));
    INFO(r.body);
    CHECK(r.status == 201);
}

TEST_CASE("a body nested 140,000 levels deep in ssl or ssl.settings: 400 / 1400, and the server stays up") {
    auto& s = shared();
    const std::string deep = std::string(140'000, '[') + std::string(140'000, ']');
    for (const std::string& body : {R"({"hostname": "deep.acme.io", "ssl": )" + deep + "}",
                                    R"({"hostname": "deep.acme.io", "ssl": {"settings": )" + deep + "}}"}) {
        auto r = s.client.send("POST", zone_hostnames(), body, {{"Authorization", "Bearer test"}, {"Content-Type", "application/json"}});
        check_failure(r, 400, 1400);
    }
    CHECK(s.client.get(zone_hostnames()).status == 200);
    CHECK(hostnames_named(s.client, "deep.acme.io") == 0);
}
