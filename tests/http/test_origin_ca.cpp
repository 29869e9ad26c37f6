// The Origin CA end to end: a customer's CSR (its key stays here) signed for hostnames of the
// account's zones, verified with `openssl verify` against the published root of its kind and
// matched to the CSR's key; every documented refusal; list by zone, get, revoke; service keys;
// restarts. Responses are contract-checked.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <future>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "storage/database.hpp"
#include "support/api_client.hpp"
#include "support/openssl_cli.hpp"
#include "support/server_process.hpp"
#include "support/sql_scalar.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string service_key = "v1.0-0123456789abcdef01234567-" + std::string(146, 'a');

ServerProcess& shared_origin_ca() {
    static ServerProcess s({"--zone", "origin.io", "--zone", "second.io"});
    return s;
}

struct CustomerKey {
    std::string private_key, csr;
};

CustomerKey customer_csr(crypto::KeyType type, const std::vector<std::string>& names = {"www.origin.io"}) {
    CustomerKey out;
    out.private_key = crypto::generate_private_key(type);
    out.csr = crypto::create_csr({"US", "CA", "SF", "Origin Co", std::nullopt, names.front()}, names, out.private_key);
    return out;
}

json request_body(const std::string& csr, const std::vector<std::string>& hostnames, const std::string& type,
                  std::optional<int> validity = std::nullopt) {
    json body = {{"csr", csr}, {"hostnames", hostnames}, {"request_type", type}};
    if (validity) body["requested_validity"] = *validity;
    return body;
}

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name)) << text;
    return dir.file(name);
}

// `openssl verify` of the leaf against the published root of its kind alone.
std::string openssl_verify(ApiClient& client, const std::string& root_path, const std::string& certificate) {
    TempDir dir;
    auto root = client.get(root_path);
    REQUIRE(root.status == 200);
    auto result = run("openssl verify -x509_strict -purpose sslserver -CAfile " + write_file(dir, "root.pem", root.body) +
                      " " + write_file(dir, "leaf.pem", certificate));
    return result.output;
}

}  // namespace

TEST_CASE("POST /certificates origin-rsa: a certificate openssl verifies against origin-rsa.pem, for the CSR's key") {
    ApiClient client(shared_origin_ca());
    auto key = customer_csr(crypto::KeyType::rsa2048, {"origin.io"});
    auto response = client.post("/client/v4/certificates", request_body(key.csr, {"origin.io", "*.Origin.io"}, "origin-rsa"));
    INFO(response.body);
    REQUIRE(response.status == 200);
    json result = response.json()["result"];
    const std::string id = result["id"];
    CHECK(id.size() == 48);
    CHECK(id.find_first_not_of("0123456789") == std::string::npos);
    CHECK(result["csr"] == key.csr);
    CHECK(result["hostnames"] == json{"origin.io", "*.origin.io"});
    CHECK(result["request_type"] == "origin-rsa");
    CHECK(result["requested_validity"] == 5475);
    CHECK(result.contains("expires_on"));
    CHECK_FALSE(result.contains("revoked_at"));

    auto leaf = crypto::parse_certificates(result["certificate"].get<std::string>()).front();
    CHECK(leaf.serial_number == id);
    CHECK(leaf.public_key_pem == crypto::public_key_of_private_key(key.private_key));
    CHECK(leaf.dns_names == std::vector<std::string>{"origin.io", "*.origin.io"});
    CHECK(leaf.not_after - leaf.not_before == 5475 * 86400);
    // Go's time.String() form, as real answers carry it.
    auto expires = result["expires_on"].get<std::string>();
    CHECK(expires.ends_with(" +0000 UTC"));
    CHECK(expires.size() == std::string("2041-12-01 10:00:00 +0000 UTC").size());
    CHECK(openssl_verify(client, "/_emulator/ca/origin-rsa.pem", result["certificate"]).find(": OK") != std::string::npos);
    // Not the test CA's, and not the other Origin root's.
    CHECK(openssl_verify(client, "/_emulator/ca/root.pem", result["certificate"]).find(": OK") == std::string::npos);
    CHECK(openssl_verify(client, "/_emulator/ca/origin-ecc.pem", result["certificate"]).find(": OK") == std::string::npos);

    auto got = client.get("/client/v4/certificates/" + id);
    REQUIRE(got.status == 200);
    CHECK(got.json()["result"] == result);
}

TEST_CASE("origin-ecc and keyless-certificate: signed by the ECC root; requested_validity honoured") {
    ApiClient client(shared_origin_ca());
    auto key = customer_csr(crypto::KeyType::p256v1);
    for (const char* type : {"origin-ecc", "keyless-certificate"}) {
        auto response = client.post("/client/v4/certificates", request_body(key.csr, {"www.origin.io"}, type, 7));
        INFO(response.body);
        REQUIRE(response.status == 200);
        json result = response.json()["result"];
        CHECK(result["request_type"] == type);
        CHECK(result["requested_validity"] == 7);
        auto leaf = crypto::parse_certificates(result["certificate"].get<std::string>()).front();
        CHECK(leaf.public_key_type == "EC");
        CHECK(leaf.not_after - leaf.not_before == 7 * 86400);
        CHECK(openssl_verify(client, "/_emulator/ca/origin-ecc.pem", result["certificate"]).find(": OK") != std::string::npos);
    }
}

TEST_CASE("Origin CA refusals: 1010 outside the account's zones, 1011 names, 1013 CSR, 1014 key type, 1015 fields") {
    ApiClient client(shared_origin_ca());
    auto rsa = customer_csr(crypto::KeyType::rsa2048);
    auto ecc = customer_csr(crypto::KeyType::p256v1);
    auto refused = client.post("/client/v4/certificates", request_body(rsa.csr, {"www.origin.io", "shop.elsewhere.io"}, "origin-rsa"));
    check_failure(refused, 400, 1010);
    CHECK(error_message(refused).starts_with("Failed to validate requested hostname shop.elsewhere.io: This zone is either not part of your account"));
    // A zone id used without being created has no name: nothing falls in it.
    check_failure(client.post("/client/v4/certificates", request_body(rsa.csr, {"notmine.io"}, "origin-rsa")), 400, 1010);

    for (const std::vector<std::string>& names : std::vector<std::vector<std::string>>{
             {}, {"1.2.3.4"}, {"*.com"}, {"*.*.origin.io"}, {"foo.*.origin.io"}, {"bad_name!.origin.io"}, {"origin"}})
        check_failure(client.post("/client/v4/certificates", request_body(rsa.csr, names, "origin-rsa")), 400, 1011);
    std::vector<std::string> many;
    for (int i = 0; i < 101; ++i) many.push_back("h" + std::to_string(i) + ".origin.io");
    check_failure(client.post("/client/v4/certificates", request_body(rsa.csr, many, "origin-rsa")), 400, 1011);

    check_failure(client.post("/client/v4/certificates", request_body("not a csr", {"origin.io"}, "origin-rsa")), 400, 1013);
    std::string tampered = rsa.csr;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    auto bad_signature = client.post("/client/v4/certificates", request_body(tampered, {"origin.io"}, "origin-rsa"));
    check_failure(bad_signature, 400, 1013);

    check_failure(client.post("/client/v4/certificates", request_body(ecc.csr, {"origin.io"}, "origin-rsa")), 400, 1014);
    check_failure(client.post("/client/v4/certificates", request_body(rsa.csr, {"origin.io"}, "origin-ecc")), 400, 1014);

    check_failure(client.post("/client/v4/certificates", request_body(rsa.csr, {"origin.io"}, "origin-dsa")), 400, 1015);
    check_failure(client.post("/client/v4/certificates", request_body(rsa.csr, {"origin.io"}, "origin-rsa", 42)), 400, 1015);
    check_failure(client.post("/client/v4/certificates", {{"hostnames", {"origin.io"}}, {"request_type", "origin-rsa"}}), 400, 1015);
    check_failure(client.send("POST", "/client/v4/certificates", "[1]", {{"Authorization", "Bearer test"}, {"Content-Type", "application/json"}}),
                  400, 1400);
}

TEST_CASE("GET /certificates: 1012 without zone_id; listed under each zone of its hostnames, paged; revoke") {
    ApiClient client(shared_origin_ca());
    check_failure(client.get("/client/v4/certificates"), 400, 1012);
    auto zones = client.get("/client/v4/zones?name=second.io");
    REQUIRE(zones.json()["result"].size() == 1);
    const std::string second = zones.json()["result"][0]["id"];
    auto key = customer_csr(crypto::KeyType::p256v1, {"a.second.io"});
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) {
        auto created = client.post("/client/v4/certificates", request_body(key.csr, {"a.second.io", "b.origin.io"}, "origin-ecc"));
        REQUIRE(created.status == 200);
        ids.push_back(created.json()["result"]["id"]);
    }
    auto page1 = client.get("/client/v4/certificates?zone_id=" + second + "&per_page=5");
    REQUIRE(page1.status == 200);
    CHECK(page1.json()["result"].size() == 5);
    CHECK(page1.json()["result_info"]["total_count"] == 6);
    CHECK(page1.json()["result"][0]["id"] == ids[0]);  // in issue order
    auto page2 = client.get("/client/v4/certificates?zone_id=" + second + "&per_page=5&page=2");
    CHECK(page2.json()["result"].size() == 1);
    CHECK(client.get("/client/v4/certificates?zone_id=" + second + "&per_page=5&page=3").json()["result"].empty());

    auto revoked = client.del("/client/v4/certificates/" + ids[0]);
    INFO(revoked.body);
    REQUIRE(revoked.status == 200);
    CHECK(revoked.json()["result"]["id"] == ids[0]);
    const std::string at = revoked.json()["result"]["revoked_at"];
    CHECK(at.ends_with("Z"));
    // Listed as revoked; revoking again answers the first time.
    CHECK(client.get("/client/v4/certificates?zone_id=" + second).json()["result"][0]["revoked_at"] == at);
    CHECK(client.del("/client/v4/certificates/" + ids[0]).json()["result"]["revoked_at"] == at);
    check_failure(client.get("/client/v4/certificates/" + std::string(48, '1')), 404, 1004);
    check_failure(client.del("/client/v4/certificates/abc"), 404, 1004);
}

TEST_CASE("service keys: X-Auth-User-Service-Key alone authenticates /certificates only") {
    ApiClient client(shared_origin_ca(), {{"X-Auth-User-Service-Key", service_key}});
    auto key = customer_csr(crypto::KeyType::p256v1);
    CHECK(client.post("/client/v4/certificates", request_body(key.csr, {"www.origin.io"}, "origin-ecc")).status == 200);
    check_failure(client.get("/client/v4/zones"), 400, 9106);  // not a credential elsewhere
    ApiClient malformed(shared_origin_ca(), {{"X-Auth-User-Service-Key", "not-a-service-key"}});
    check_failure(malformed.get("/client/v4/certificates?zone_id=" + std::string(32, '0')), 400, 10000);
}

TEST_CASE("--service-keys refuse: 403 / 1016; tokens still work; --origin-ca-key lists the keys taken") {
    ServerProcess server({"--service-keys", "refuse", "--zone", "origin.io"});
    ApiClient with_key(server, {{"X-Auth-User-Service-Key", service_key}});
    check_failure(with_key.get("/client/v4/certificates?zone_id=" + std::string(32, '0')), 403, 1016);
    ApiClient with_token(server);
    CHECK(with_token.get("/client/v4/certificates?zone_id=" + std::string(32, '0')).status == 200);

    ServerProcess listed({"--origin-ca-key", service_key});
    ApiClient good(listed, {{"X-Auth-User-Service-Key", service_key}});
    CHECK(good.get("/client/v4/certificates?zone_id=" + std::string(32, '0')).status == 200);
    ApiClient other(listed, {{"X-Auth-User-Service-Key", "v1.0-other"}});
    check_failure(other.get("/client/v4/certificates?zone_id=" + std::string(32, '0')), 400, 10000);
}

TEST_CASE("Origin CA: roots and certificates survive a restart; the snapshot holds certificates, never roots") {
    TempDir dir;
    const std::string db = dir.file("origin.sqlite3");
    std::string root, id;
    {
        ServerProcess server({"--db", db, "--zone", "origin.io"});
        ApiClient client(server);
        root = client.get("/_emulator/ca/origin-rsa.pem").body;
        CHECK(root != client.get("/_emulator/ca/root.pem").body);
        auto key = customer_csr(crypto::KeyType::rsa2048);
        auto created = client.post("/client/v4/certificates", request_body(key.csr, {"www.origin.io"}, "origin-rsa"));
        REQUIRE(created.status == 200);
        id = created.json()["result"]["id"];
        auto state = client.get("/_emulator/state?include_private_keys=true").json()["result"];
        CHECK(state["origin_ca_certificates"].size() == 1);
        CHECK(state["origin_ca_certificate_zones"].size() == 1);
        CHECK(state["zones"].size() == 1);
        CHECK_FALSE(state.contains("origin_ca_roots"));
        // The seed takes the snapshot back as it is.
        auto seeded = client.send("PUT", "/_emulator/state", state.dump(), {{"Content-Type", "application/json"}});
        CHECK(seeded.status == 200);
        state["origin_ca_certificates"][0]["requested_validity"] = 8;
        auto refused = client.send("PUT", "/_emulator/state", state.dump(), {{"Content-Type", "application/json"}});
        check_failure(refused, 400, 1400);
        CHECK(error_message(refused).starts_with("/origin_ca_certificates/0/requested_validity"));
        server.stop(SIGTERM);
    }
    ServerProcess again({"--db", db});
    ApiClient client(again);
    CHECK(client.get("/_emulator/ca/origin-rsa.pem").body == root);
    CHECK(client.get("/client/v4/certificates/" + id).status == 200);
    // A reset clears the certificates and keeps the roots.
    CHECK(client.send("POST", "/_emulator/reset", "{}", {{"Content-Type", "application/json"}}).status == 200);
    check_failure(client.get("/client/v4/certificates/" + id), 404, 1004);
    CHECK(client.get("/_emulator/ca/origin-rsa.pem").body == root);
}

TEST_CASE("Origin CA roots: none made until a request needs them; the first requests, at once, get the same ones") {
    TempDir dir;
    const std::string db = dir.file("lazy.sqlite3");
    auto stored_roots = [&db] {
        storage::Database file(db);
        return query_integer(file, "SELECT count(*) FROM origin_ca_roots");
    };
    // One serving thread: the first requests wait on the roots' thread, not on this one.
    ServerProcess server({"--db", db, "--zone", "origin.io", "--threads", "1"});
    ApiClient client(server);
    CHECK(client.get("/_emulator/health").status == 200);
    auto key = customer_csr(crypto::KeyType::rsa2048);
    // Refused before signing: no roots asked for.
    check_failure(client.post("/client/v4/certificates", request_body(key.csr, {"www.elsewhere.io"}, "origin-rsa")), 400,
                  1010);
    CHECK(stored_roots() == 0);
    std::vector<std::future<HttpResponse>> firsts;
    for (int i = 0; i < 4; ++i)
        firsts.push_back(std::async(std::launch::async, [&server, i] {
            ApiClient c(server);
            return c.get(i % 2 ? "/_emulator/ca/origin-rsa.pem" : "/_emulator/ca/origin-ecc.pem");
        }));
    std::vector<std::string> bodies;
    for (auto& first : firsts) {
        auto r = first.get();
        CHECK(r.status == 200);
        CHECK(r.body.starts_with("-----BEGIN CERTIFICATE-----"));
        bodies.push_back(r.body);
    }
    CHECK(bodies[0] == bodies[2]);
    CHECK(bodies[1] == bodies[3]);
    CHECK(bodies[0] != bodies[1]);
    CHECK(stored_roots() == 2);
    auto created = client.post("/client/v4/certificates", request_body(key.csr, {"www.origin.io"}, "origin-rsa"));
    REQUIRE(created.status == 200);
    CHECK(openssl_verify(client, "/_emulator/ca/origin-rsa.pem", created.json()["result"]["certificate"]).find(": OK") !=
          std::string::npos);
}
