// Custom certificates (Cloudflare's custom SSL configurations) end to end: upload with a custom
// CSR id or a private key, the refusals in the custom certificate service's codes, list, get,
// edit, delete, prioritize, and the CSR they hold in use.
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

using namespace test_support;
using nlohmann::json;

namespace {

json with_csr(const std::string& chain, const std::string& csr_id) {
    return {{"certificate", chain}, {"custom_csr_id", csr_id}};
}

std::int64_t total(ApiClient& client, const std::string& zone = zone_a) {
    return client.get(zone_certificates(zone)).json()["result_info"]["total_count"].get<std::int64_t>();
}

// A certificate with its own key (no CSR): a local key, a local CSR, the test CA's signature.
struct OwnKeyCertificate {
    std::string key, chain;
};
OwnKeyCertificate own_key_certificate(ApiClient& client, const std::string& hostname) {
    std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    return {key, emulator_sign(client, crypto::create_csr(subject_for(hostname), {hostname}, key))};
}

}  // namespace

TEST_CASE("upload with certificate + custom_csr_id: 200, the leaf's facts, no private key needed or shown") {
    auto& s = shared();
    std::string chain = emulator_sign(s.client, s.csr.pem);
    std::int64_t before = unix_now();
    auto r = s.client.post(zone_certificates(), with_csr(chain, s.csr.id));
    INFO(r.body);
    REQUIRE(r.status == 200);
    check_no_key(r);
    json c = r.json()["result"];
    std::string id = c["id"];
    CHECK(id.size() == 36);
    CHECK(c["zone_id"] == zone_a);
    CHECK(c["custom_csr_id"] == s.csr.id);
    CHECK(c["status"] == "active");
    CHECK(c["bundle_method"] == "ubiquitous");
    CHECK(c["priority"] == 20);
    check_certificate_facts(c, leaf_of(chain));
    CHECK(c["hosts"] == json{"app.acme.io", "www.acme.io"});
    CHECK(c["signature"] == "ECDSAWithSHA256");
    CHECK(c["uploaded_on"] >= rfc3339(before - 2));
    CHECK(c["uploaded_on"] <= rfc3339(unix_now() + 2));
    CHECK(c["modified_on"] == c["uploaded_on"]);
    CHECK_FALSE(c.contains("geo_restrictions"));

    auto got = s.client.get(zone_certificates() + "/" + id);
    CHECK(got.status == 200);
    CHECK(got.json()["result"] == c);
    check_no_key(got);
    CHECK(s.client.del(zone_certificates() + "/" + id).status == 200);

    CHECK(c["deploy"] == "production");
    SUBCASE("deploy: staging is kept and shown") {
        json body = with_csr(emulator_sign(s.client, s.csr.pem), s.csr.id);
        body["deploy"] = "staging";
        auto created = s.client.post(zone_certificates(), body);
        INFO(created.body);
        REQUIRE(created.status == 200);
        json result = created.json()["result"];
        CHECK(result["deploy"] == "staging");
        std::string staged = result["id"];
        CHECK(s.client.get(zone_certificates() + "/" + staged).json()["result"]["deploy"] == "staging");
        auto edited = s.client.patch(zone_certificates() + "/" + staged, json{{"deploy", "production"}});
        CHECK(edited.json()["result"]["deploy"] == "production");
        CHECK(s.client.del(zone_certificates() + "/" + staged).status == 200);
    }
    SUBCASE("geo_restrictions, policy, bundle_method and type are kept") {
        json body = with_csr(emulator_sign(s.client, s.csr.pem), s.csr.id);
        body["geo_restrictions"] = {{"label", "eu"}};
        body["policy"] = "(country: US) or (region: EU)";
        body["bundle_method"] = "optimal";
        body["type"] = "sni_custom";
        auto created = s.client.post(zone_certificates(), body);
        INFO(created.body);
        REQUIRE(created.status == 200);
        json result = created.json()["result"];
        CHECK(result["geo_restrictions"] == json{{"label", "eu"}});
        CHECK(result["policy_restrictions"] == "(country: US) or (region: EU)");
        CHECK(result["bundle_method"] == "optimal");
        CHECK(s.client.del(zone_certificates() + "/" + result["id"].get<std::string>()).status == 200);
    }
}

TEST_CASE("upload with certificate + private_key: 200, no custom_csr_id, the key not shown") {
    auto& s = shared();
    auto own = own_key_certificate(s.client, "own.acme.io");
    auto r = s.client.post(zone_certificates(), {{"certificate", own.chain}, {"private_key", own.key}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    check_no_key(r);
    json c = r.json()["result"];
    CHECK_FALSE(c.contains("custom_csr_id"));
    CHECK(c["hosts"] == json{"own.acme.io"});
    check_certificate_facts(c, leaf_of(own.chain));
    check_no_key(s.client.get(zone_certificates() + "/" + c["id"].get<std::string>()));
    CHECK(s.client.del(zone_certificates() + "/" + c["id"].get<std::string>()).status == 200);
}

TEST_CASE("upload refusals in the custom certificate service's codes, each with a certificate built for it") {
    auto& s = shared();
    auto& m = material();
    std::int64_t before = total(s.client);
    auto refused = [&](const json& body, int status, int code) {
        auto r = s.client.post(zone_certificates(), body);
        check_failure(r, status, code);
        CHECK(total(s.client) == before);
        return r;
    };
    auto accepted = [&](const json& body) {
        auto r = s.client.post(zone_certificates(), body);
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK(s.client.del(zone_certificates() + "/" + r.json()["result"]["id"].get<std::string>()).status == 200);
        return r.json()["result"];
    };

    SUBCASE("1002: unparsable") {
        refused(with_csr("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n", s.csr.id), 400, 1002);
        refused(with_csr("hello", s.csr.id), 400, 1002);
    }
    SUBCASE("1002: empty or missing") {
        refused(with_csr("", s.csr.id), 400, 1002);
        refused({{"custom_csr_id", s.csr.id}}, 400, 1002);
    }
    SUBCASE("1002: a chain with two leaves") {
        std::string first = emulator_sign(s.client, s.csr.pem);
        refused(with_csr(leaf_of(emulator_sign(s.client, s.csr.pem)).pem + first, s.csr.id), 400, 1002);
    }
    SUBCASE("1002: SHA-384 signature (a trusted root, otherwise fine)") {
        auto r = refused(with_csr(crypto::sign_csr(m.trusted, s.csr.pem, {m.now - day, m.now + 30 * day, "sha384"}), s.csr.id),
                         400, 1002);
        CHECK(error_message(r).find("SHA384") != std::string::npos);
    }
    SUBCASE("2100: self-signed, for the CSR's own key") {
        refused(with_csr(crypto::create_self_signed(s.csr_key, {"app.acme.io"}, m.valid()), s.csr.id), 400, 2100);
    }
    SUBCASE("2100: signed by an unknown root") {
        refused(with_csr(crypto::sign_csr(m.unknown, s.csr.pem, m.valid()), s.csr.id), 400, 2100);
    }
    SUBCASE("2100: expired, and not yet valid (a trusted root)") {
        auto r = refused(with_csr(crypto::sign_csr(m.trusted, s.csr.pem, {m.now - 100 * day, m.now - 10 * day, "sha256"}), s.csr.id),
                         400, 2100);
        CHECK(error_message(r).find("expired") != std::string::npos);
        refused(with_csr(crypto::sign_csr(m.trusted, s.csr.pem, {m.now + 10 * day, m.now + 100 * day, "sha256"}), s.csr.id), 400, 2100);
    }
    SUBCASE("1206: a certificate that expires within 14 days (Cloudflare's wording, verbatim)") {
        auto r = refused(with_csr(emulator_sign(s.client, s.csr.pem, 14), s.csr.id), 400, 1206);
        CHECK(error_message(r).starts_with("The certificate will expire within soon. Please supply a newer one"));
        accepted(with_csr(emulator_sign(s.client, s.csr.pem, 15), s.csr.id));
    }
    SUBCASE("1002: an RSA key under 2048 bits") {
        std::string key = openssl_genpkey("-algorithm RSA -pkeyopt rsa_keygen_bits:1024");
        std::string chain = emulator_sign(s.client, crypto::create_csr(subject_for("own.acme.io"), {"own.acme.io"}, key));
        auto r = refused({{"certificate", chain}, {"private_key", key}}, 400, 1002);
        CHECK(error_message(r).find("RSA key of 1024 bits") != std::string::npos);
    }
    SUBCASE("2101: no leaf (the test root alone)") { refused(with_csr(emulator_root(s.client), s.csr.id), 400, 2101); }
    SUBCASE("2200: the certificate is for another key than the CSR's, or than the private key") {
        std::string other = emulator_sign(s.client, crypto::create_csr(subject_for("app.acme.io"), {"app.acme.io"}, m.other_key));
        refused(with_csr(other, s.csr.id), 400, 2200);
        auto own = own_key_certificate(s.client, "own.acme.io");
        refused({{"certificate", own.chain}, {"private_key", m.other_key}}, 400, 2200);
    }
    SUBCASE("2106: a private key that cannot be parsed, or none and no CSR id") {
        auto own = own_key_certificate(s.client, "own.acme.io");
        refused({{"certificate", own.chain}, {"private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}}, 400, 2106);
        refused({{"certificate", own.chain}}, 400, 2106);
    }
    SUBCASE("1220: the same certificate twice") {
        std::string chain = emulator_sign(s.client, s.csr.pem);
        auto first = s.client.post(zone_certificates(), with_csr(chain, s.csr.id));
        REQUIRE(first.status == 200);
        ++before;
        refused(with_csr(chain, s.csr.id), 400, 1220);
        // The same leaf in a bundle that also carries the root is the same certificate.
        refused(with_csr(chain + emulator_root(s.client), s.csr.id), 400, 1220);
        CHECK(s.client.del(zone_certificates() + "/" + first.json()["result"]["id"].get<std::string>()).status == 200);
        --before;
        // Gone, it may come again.
        accepted(with_csr(chain, s.csr.id));
    }
    SUBCASE("1418 / 1419: a malformed or unknown CSR id; another zone's CSR is unknown") {
        std::string chain = emulator_sign(s.client, s.csr.pem);
        refused(with_csr(chain, "not-a-uuid"), 400, 1418);
        refused(with_csr(chain, "7b163417-1d2b-4c84-a38a-2fb7a0cd7752"), 404, 1419);
        auto other = create_zone_csr(s.client, {"app.acme.io"}, zone_b);
        refused(with_csr(emulator_sign(s.client, other.pem), other.id), 404, 1419);
    }
    SUBCASE("1434: a bad bundle_method; a key and a CSR id together (the other fields: tests/api)") {
        std::string chain = emulator_sign(s.client, s.csr.pem);
        for (auto [field, value] : std::vector<std::pair<std::string, json>>{{"bundle_method", "cheap"},
                                                                             {"private_key", m.other_key}}) {
            CAPTURE(field);
            json body = with_csr(chain, s.csr.id);
            body[field] = value;
            refused(body, 400, 1434);
        }
    }
    SUBCASE("the control: the same trusted root with valid dates and SHA-256 is accepted") {
        std::string chain = crypto::sign_csr(m.trusted, s.csr.pem, m.valid());
        check_certificate_facts(accepted(with_csr(chain, s.csr.id)), leaf_of(chain));
    }
    SUBCASE("bundle_method force lets the unknown-root chain in, and still checks the key") {
        json body = with_csr(crypto::sign_csr(m.unknown, s.csr.pem, m.valid()), s.csr.id);
        body["bundle_method"] = "force";
        CHECK(accepted(body)["bundle_method"] == "force");
        std::string other_csr = crypto::create_csr(subject_for("app.acme.io"), {"app.acme.io"}, m.other_key);
        body["certificate"] = crypto::sign_csr(m.unknown, other_csr, m.valid());
        refused(body, 400, 2200);
    }
}

TEST_CASE("list: pages, status filter, zones apart") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io"});
    std::set<std::string> ids;
    for (int i = 0; i < 6; ++i) {
        auto r = client.post(zone_certificates(), with_csr(emulator_sign(client, csr.pem), csr.id));
        REQUIRE(r.status == 200);
        ids.insert(r.json()["result"]["id"].get<std::string>());
    }
    auto other = create_zone_csr(client, {"app.acme.io"}, zone_b);
    REQUIRE(client.post(zone_certificates(zone_b), with_csr(emulator_sign(client, other.pem), other.id)).status == 200);

    std::set<std::string> seen;
    for (int page = 1; page <= 2; ++page) {
        auto body = client.get(zone_certificates() + "?per_page=5&page=" + std::to_string(page)).json();
        CHECK(body["result_info"] == json{{"page", page}, {"per_page", 5}, {"count", page == 1 ? 5 : 1},
                                          {"total_count", 6}, {"total_pages", 2}});
        for (const auto& c : body["result"]) {
            CHECK(c["zone_id"] == zone_a);
            seen.insert(c["id"].get<std::string>());
        }
    }
    CHECK(seen == ids);
    auto past = client.get(zone_certificates() + "?per_page=5&page=3");
    CHECK(past.status == 200);
    CHECK(past.json()["result"] == json::array());

    auto count_with = [&](const std::string& query) {
        auto r = client.get(zone_certificates() + query);
        INFO(query << " -> " << r.body);
        REQUIRE(r.status == 200);
        return r.json()["result"].size();
    };
    CHECK(count_with("?status=active") == 6);
    CHECK(count_with("?status=expired") == 0);
    CHECK(count_with("?status=pending") == 0);
    CHECK(count_with("?status=active&match=any") == 6);
    check_failure(client.get(zone_certificates() + "?status=sleeping"), 400, 1400);
    check_failure(client.get(zone_certificates() + "?match=some"), 400, 1400);
    CHECK(total(client, zone_b) == 1);
}

TEST_CASE("get: 400 / 1002 for a malformed id, 404 / 1003 for an unknown one or another zone's") {
    auto& s = shared();
    auto created = s.client.post(zone_certificates(), with_csr(emulator_sign(s.client, s.csr.pem), s.csr.id));
    REQUIRE(created.status == 200);
    std::string id = created.json()["result"]["id"];
    check_failure(s.client.get(zone_certificates() + "/not-an-id"), 400, 1002);
    check_failure(s.client.get(zone_certificates() + "/0d89c70d-ad9f-4843-b99f-6cc0252067e9"), 404, 1003);
    check_failure(s.client.get(zone_certificates(zone_b) + "/" + id), 404, 1003);
    check_failure(s.client.del(zone_certificates(zone_b) + "/" + id), 404, 1003);
    CHECK(s.client.get(zone_certificates() + "/" + id).status == 200);
    CHECK(s.client.del(zone_certificates() + "/" + id).status == 200);
}

TEST_CASE("PATCH: a renewed certificate for the same CSR; settings alone; an sni_custom edit gets a new id") {
    auto& s = shared();
    auto created = s.client.post(zone_certificates(), with_csr(emulator_sign(s.client, s.csr.pem), s.csr.id));
    REQUIRE(created.status == 200);
    json original = created.json()["result"];
    std::string id = original["id"];
    std::string path = zone_certificates() + "/" + id;

    SUBCASE("a renewed certificate: new expires_on, same id and CSR") {
        std::string renewed = emulator_sign(s.client, s.csr.pem, 30);
        auto r = s.client.patch(path, with_csr(renewed, s.csr.id));
        INFO(r.body);
        REQUIRE(r.status == 200);
        check_no_key(r);
        json c = r.json()["result"];
        CHECK(c["id"] == id);
        CHECK(c["custom_csr_id"] == s.csr.id);
        check_certificate_facts(c, leaf_of(renewed));
        CHECK(c["expires_on"] < original["expires_on"]);
        CHECK(c["uploaded_on"] == original["uploaded_on"]);
        CHECK(c["modified_on"] >= original["modified_on"]);
        CHECK(s.client.get(path).json()["result"] == c);
        // Without custom_csr_id the certificate stays tied to its CSR. (20 days: a certificate
        // expiring within 14 is refused, 1206.)
        std::string again = emulator_sign(s.client, s.csr.pem, 20);
        auto r2 = s.client.patch(path, {{"certificate", again}});
        REQUIRE(r2.status == 200);
        CHECK(r2.json()["result"]["custom_csr_id"] == s.csr.id);
        CHECK(r2.json()["result"]["expires_on"] == rfc3339(leaf_of(again).not_after));
    }
    SUBCASE("settings alone keep the certificate") {
        auto r = s.client.patch(path, {{"geo_restrictions", {{"label", "us"}}}, {"policy", "(country: US)"}});
        INFO(r.body);
        REQUIRE(r.status == 200);
        json c = r.json()["result"];
        CHECK(c["geo_restrictions"] == json{{"label", "us"}});
        CHECK(c["policy_restrictions"] == "(country: US)");
        CHECK(c["expires_on"] == original["expires_on"]);
        CHECK(c["hosts"] == original["hosts"]);
    }
    SUBCASE("the replacement goes through the same checks; a refused one changes nothing") {
        check_failure(s.client.patch(path, {{"certificate", "garbage"}}), 400, 1002);
        check_failure(s.client.patch(path, {{"certificate", crypto::sign_csr(material().unknown, s.csr.pem, material().valid())}}),
                      400, 2100);
        check_failure(s.client.patch(path, {{"type", "sni_custom"}}), 400, 1434);
        // Another stored certificate's leaf: 1220.
        std::string other_chain = emulator_sign(s.client, s.csr.pem);
        auto other = s.client.post(zone_certificates(), with_csr(other_chain, s.csr.id));
        REQUIRE(other.status == 200);
        check_failure(s.client.patch(path, {{"certificate", other_chain}}), 400, 1220);
        CHECK(s.client.del(zone_certificates() + "/" + other.json()["result"]["id"].get<std::string>()).status == 200);
        CHECK(s.client.get(path).json()["result"] == original);
    }
    SUBCASE("sni_custom: the edit answers with a new id; the old one is gone") {
        json body = with_csr(emulator_sign(s.client, s.csr.pem), s.csr.id);
        body["type"] = "sni_custom";
        auto sni = s.client.post(zone_certificates(), body);
        REQUIRE(sni.status == 200);
        std::string old_id = sni.json()["result"]["id"];
        auto r = s.client.patch(zone_certificates() + "/" + old_id, with_csr(emulator_sign(s.client, s.csr.pem, 30), s.csr.id));
        INFO(r.body);
        REQUIRE(r.status == 200);
        std::string new_id = r.json()["result"]["id"];
        CHECK(new_id != old_id);
        CHECK(new_id.size() == 36);
        check_failure(s.client.get(zone_certificates() + "/" + old_id), 404, 1003);
        CHECK(s.client.get(zone_certificates() + "/" + new_id).json()["result"] == r.json()["result"]);
        // An edit of the settings alone, keeping the certificate, also moves it to a new id.
        auto settings = s.client.patch(zone_certificates() + "/" + new_id, {{"policy", "(country: US)"}});
        INFO(settings.body);
        REQUIRE(settings.status == 200);
        std::string third_id = settings.json()["result"]["id"];
        CHECK(third_id != new_id);
        CHECK(settings.json()["result"]["expires_on"] == r.json()["result"]["expires_on"]);
        CHECK(settings.json()["result"]["policy_restrictions"] == "(country: US)");
        check_failure(s.client.get(zone_certificates() + "/" + new_id), 404, 1003);
        CHECK(s.client.del(zone_certificates() + "/" + third_id).status == 200);
    }
    SUBCASE("unknown and malformed ids") {
        check_failure(s.client.patch(zone_certificates() + "/0d89c70d-ad9f-4843-b99f-6cc0252067e9", {{"policy", "x"}}), 404, 1003);
        check_failure(s.client.patch(zone_certificates() + "/nope", {{"policy", "x"}}), 400, 1002);
    }
    CHECK(s.client.del(path).status == 200);
}

TEST_CASE("delete: result {id}; then 404 / 1003") {
    auto& s = shared();
    auto created = s.client.post(zone_certificates(), with_csr(emulator_sign(s.client, s.csr.pem), s.csr.id));
    REQUIRE(created.status == 200);
    std::string id = created.json()["result"]["id"];
    auto r = s.client.del(zone_certificates() + "/" + id);
    REQUIRE(r.status == 200);
    CHECK(r.json()["success"] == true);
    CHECK(r.json()["result"] == json{{"id", id}});
    check_failure(s.client.get(zone_certificates() + "/" + id), 404, 1003);
    check_failure(s.client.del(zone_certificates() + "/" + id), 404, 1003);
    check_failure(s.client.del(zone_certificates() + "/bad"), 400, 1002);
}

TEST_CASE("PUT prioritize: new priorities, the list in priority order (highest first)") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io"});
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto r = client.post(zone_certificates(), with_csr(emulator_sign(client, csr.pem), csr.id));
        REQUIRE(r.status == 200);
        ids.push_back(r.json()["result"]["id"]);
    }
    std::string path = zone_certificates() + "/prioritize";
    auto r = client.put(path, {{"certificates", {{{"id", ids[0]}, {"priority", 5}},
                                                 {{"id", ids[1]}, {"priority", 30}},
                                                 {{"id", ids[2]}, {"priority", 10}}}}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    json result = r.json()["result"];
    REQUIRE(result.size() == 3);
    CHECK(result[0]["id"] == ids[1]);
    CHECK(result[0]["priority"] == 30);
    CHECK(result[1]["id"] == ids[2]);
    CHECK(result[1]["priority"] == 10);
    CHECK(result[2]["id"] == ids[0]);
    CHECK(result[2]["priority"] == 5);
    CHECK(client.get(zone_certificates() + "/" + ids[0]).json()["result"]["priority"] == 5);
    CHECK(client.get(zone_certificates()).json()["result"] == result);

    check_failure(client.put(path, {{"certificates", {{{"id", "0d89c70d-ad9f-4843-b99f-6cc0252067e9"}, {"priority", 1}}}}}), 404, 1003);
    check_failure(client.put(path, {{"certificates", {{{"id", "bad"}, {"priority", 1}}}}}), 400, 1002);
    check_failure(client.put(path, {{"certificates", {{{"id", ids[0]}}}}}), 400, 1434);
    check_failure(client.put(path, {{"certificates", "all"}}), 400, 1400);
    // A refused request changes no priority.
    check_failure(client.put(path, {{"certificates", {{{"id", ids[0]}, {"priority", 99}}, {{"id", "bad"}, {"priority", 1}}}}}),
                  400, 1002);
    CHECK(client.get(zone_certificates() + "/" + ids[0]).json()["result"]["priority"] == 5);
}

TEST_CASE("the CSR is in use (409 / 1420) while a custom certificate references it") {
    auto& s = shared();
    auto csr = create_zone_csr(s.client, {"inuse.acme.io"});
    std::string csr_path = zone_csrs() + "/" + csr.id;
    auto created = s.client.post(zone_certificates(), with_csr(emulator_sign(s.client, csr.pem), csr.id));
    REQUIRE(created.status == 200);
    std::string id = created.json()["result"]["id"];

    auto refused = s.client.del(csr_path);
    check_failure(refused, 409, 1420);
    CHECK(refused.header("x-should-retry") == std::optional<std::string>("false"));
    CHECK(s.client.get(csr_path).status == 200);

    SUBCASE("deleted: the CSR goes") {
        CHECK(s.client.del(zone_certificates() + "/" + id).status == 200);
    }
    SUBCASE("re-pointed: PATCHed to a certificate with its own private key") {
        auto own = own_key_certificate(s.client, "inuse.acme.io");
        auto r = s.client.patch(zone_certificates() + "/" + id, {{"certificate", own.chain}, {"private_key", own.key}});
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK_FALSE(r.json()["result"].contains("custom_csr_id"));
        check_no_key(r);
    }
    auto deleted = s.client.del(csr_path);
    CHECK(deleted.status == 200);
    CHECK(deleted.json()["result"] == json{{"id", csr.id}});
    check_failure(s.client.get(csr_path), 404, 1419);
    // A certificate re-pointed to its own key outlives the CSR.
    if (s.client.get(zone_certificates() + "/" + id).status == 200) CHECK(s.client.del(zone_certificates() + "/" + id).status == 200);
}

TEST_CASE("a body nested 140,000 levels deep in geo_restrictions: 400 / 1400, and the server stays up") {
    auto& s = shared();
    std::int64_t before = total(s.client);
    const std::string deep = std::string(140'000, '[') + std::string(140'000, ']');
    auto r = s.client.send("POST", zone_certificates(), R"({"certificate": "PEM", "geo_restrictions": )" + deep + "}",
                           {{"Authorization", "Bearer test"}, {"Content-Type", "application/json"}});
    check_failure(r, 400, 1400);
    CHECK(total(s.client) == before);
}
