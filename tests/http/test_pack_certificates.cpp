// PUT and DELETE .../custom_hostnames/{id}/certificate_pack/{pack_id}/certificates/{id}: a custom
// hostname's uploaded certificate replaced like for like with the upload checks of a create, the
// CSR it came from put in use, and every refusal with its code and status.
#include <doctest/doctest.h>

#include "crypto/csr.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/keys.hpp"
#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string unknown_id = "0b5c0a43-7d33-4c47-9d3c-2c2b0b8e1a11";

struct PackedHostname {
    std::string id, pack_id, certificate_id;
    json answer;
};

// A custom hostname with an uploaded certificate (for the key of `csr_id`): its ids as the
// answer shows them.
PackedHostname upload(ApiClient& client, const std::string& hostname, const json& ssl) {
    auto r = client.post(zone_hostnames(), {{"hostname", hostname}, {"ssl", ssl}});
    INFO(r.body);
    REQUIRE(r.status == 201);
    json result = r.json()["result"];
    REQUIRE(result["ssl"]["certificates"].size() == 1);
    return {result["id"], result["ssl"]["id"], result["ssl"]["certificates"][0]["id"], result};
}

std::string path_of(const std::string& hostname_id, const std::string& pack_id, const std::string& certificate_id) {
    return zone_hostnames() + "/" + hostname_id + "/certificate_pack/" + pack_id + "/certificates/" + certificate_id;
}

std::string path_of(const PackedHostname& h) { return path_of(h.id, h.pack_id, h.certificate_id); }

std::string p256_key() { return crypto::generate_private_key(crypto::KeyType::p256v1); }

std::string signed_for(const crypto::CaMaterial& ca, const std::string& key, const std::vector<std::string>& names,
                       const crypto::SignOptions& options) {
    return crypto::sign_csr(ca, crypto::create_csr(subject_for(names.front()), names, key), options);
}

// A hostname `name` whose uploaded certificate (from our trusted CA) has a P-256 key of its own.
PackedHostname upload_own(ApiClient& client, const std::string& name) {
    const auto& m = material();
    std::string key = p256_key();
    return upload(client, name, {{"custom_certificate", signed_for(m.trusted, key, {name}, m.valid())}, {"custom_key", key}});
}

}  // namespace

TEST_CASE("PUT replaces a hostname's uploaded certificate like for like, keeps its ids and serves the new one") {
    ServerProcess server({"--key-pool", "0", "--trust-bundle", material().trusted_bundle});
    ApiClient client(server);
    const auto& m = material();
    auto h = upload_own(client, "rep.acme.io");
    CHECK(h.pack_id.size() == 36);
    CHECK(h.certificate_id.size() == 36);

    std::string new_key = p256_key();
    std::string replacement = signed_for(m.trusted, new_key, {"rep.acme.io"}, m.valid());
    auto r = client.put(path_of(h), {{"custom_certificate", replacement}, {"custom_key", new_key}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    json ssl = r.json()["result"]["ssl"];
    CHECK(r.json()["result"]["id"] == h.id);
    CHECK(ssl["id"] == h.pack_id);
    CHECK(ssl["serial_number"] == leaf_of(replacement).serial_number);
    REQUIRE(ssl["certificates"].size() == 1);
    CHECK(ssl["certificates"][0]["id"] == h.certificate_id);
    CHECK(ssl["certificates"][0]["fingerprint_sha256"] == leaf_of(replacement).fingerprint_sha256);
    // A read shows the same: the replacement was stored.
    auto read = client.get(zone_hostnames() + "/" + h.id).json()["result"]["ssl"];
    CHECK(read["serial_number"] == leaf_of(replacement).serial_number);
    CHECK(read["certificates"][0]["id"] == h.certificate_id);

    // A snapshot carries the ids; seeded into a fresh server, the same PUT path still works.
    auto snapshot = client.get("/_emulator/state?include_private_keys=true");
    REQUIRE(snapshot.status == 200);
    ServerProcess other({"--key-pool", "0", "--trust-bundle", material().trusted_bundle});
    ApiClient seeded(other);
    auto put_state = seeded.put("/_emulator/state", snapshot.json()["result"]);
    INFO(put_state.body);
    REQUIRE(put_state.status == 200);
    std::string again_key = p256_key();
    auto again = seeded.put(path_of(h), {{"custom_certificate", signed_for(m.trusted, again_key, {"rep.acme.io"}, m.valid())},
                                         {"custom_key", again_key}});
    INFO(again.body);
    CHECK(again.status == 200);
}

TEST_CASE("a replacement from a custom CSR puts that CSR in use until it is replaced in turn") {
    ServerProcess server({"--key-pool", "0", "--trust-bundle", material().trusted_bundle});
    ApiClient client(server);
    const auto& m = material();
    auto h = upload_own(client, "csr.acme.io");
    auto csr = create_zone_csr(client, {"csr.acme.io"});
    auto r = client.put(path_of(h), {{"custom_certificate", emulator_sign(client, csr.pem)}, {"custom_csr_id", csr.id}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["result"]["ssl"]["custom_csr_id"] == csr.id);
    check_failure(client.del(zone_csrs() + "/" + csr.id), 409, 1420);

    // Replaced by a certificate with its own key: the CSR is free again.
    std::string own_key = p256_key();
    r = client.put(path_of(h), {{"custom_certificate", signed_for(m.trusted, own_key, {"csr.acme.io"}, m.valid())},
                                {"custom_key", own_key}});
    REQUIRE(r.status == 200);
    CHECK_FALSE(r.json()["result"]["ssl"].contains("custom_csr_id"));
    CHECK(client.del(zone_csrs() + "/" + csr.id).status == 200);
}

TEST_CASE("refusals of PUT and DELETE on a pack's certificates, each with its code and status") {
    auto& s = shared();
    auto& client = s.client;
    const auto& m = material();
    static int n = 0;
    std::string name = "refuse" + std::to_string(++n) + ".acme.io";
    auto h = upload_own(client, name);
    std::string new_key = p256_key();
    auto put = [&](const std::string& path, const json& body) { return client.put(path, body); };
    json good = {{"custom_certificate", signed_for(m.trusted, new_key, {name}, m.valid())}, {"custom_key", new_key}};
    auto unchanged = [&] {
        auto read = client.get(zone_hostnames() + "/" + h.id).json()["result"]["ssl"];
        CHECK(read["serial_number"] == h.answer["ssl"]["serial_number"]);
    };

    SUBCASE("404 / 1436: unknown hostname, pack or certificate") {
        check_failure(put(path_of(unknown_id, h.pack_id, h.certificate_id), good), 404, 1436);
        check_failure(put(path_of(h.id, unknown_id, h.certificate_id), good), 404, 1436);
        check_failure(put(path_of(h.id, h.pack_id, unknown_id), good), 404, 1436);
        check_failure(client.del(path_of(h.id, unknown_id, h.certificate_id)), 404, 1436);
        check_failure(client.del(path_of(h.id, h.pack_id, unknown_id)), 404, 1436);
        CHECK(error_message(client.del(path_of(h.id, unknown_id, h.certificate_id))).find("pack") != std::string::npos);
    }
    SUBCASE("400 / 1435: a hostname id that is no UUID") {
        check_failure(put(path_of("not-a-uuid", h.pack_id, h.certificate_id), good), 400, 1435);
    }
    SUBCASE("409 / 1451: the last certificate of the pack cannot be deleted") {
        auto r = client.del(path_of(h));
        check_failure(r, 409, 1451);
        unchanged();
    }
    SUBCASE("400 / 1434: an ECDSA certificate replaced by an RSA one") {
        std::string rsa = crypto::generate_private_key(crypto::KeyType::rsa2048);
        auto r = put(path_of(h), {{"custom_certificate", signed_for(m.trusted, rsa, {name}, m.valid())}, {"custom_key", rsa}});
        check_failure(r, 400, 1434);
        CHECK(error_message(r).find("like for like") != std::string::npos);
        unchanged();
    }
    SUBCASE("400 / 1441: untrusted, or expiring within 14 days") {
        check_failure(put(path_of(h), {{"custom_certificate", signed_for(m.unknown, new_key, {name}, m.valid())},
                                       {"custom_key", new_key}}),
                      400, 1441);
        auto r = put(path_of(h), {{"custom_certificate", signed_for(m.trusted, new_key, {name}, {m.now - day, m.now + 10 * day, "sha256"})},
                                  {"custom_key", new_key}});
        check_failure(r, 400, 1441);
        CHECK(error_message(r).find("certificate expires at") != std::string::npos);
        unchanged();
    }
    SUBCASE("400 / 1429: the key does not match; 1446: the hostname is not covered") {
        check_failure(put(path_of(h), {{"custom_certificate", good["custom_certificate"]}, {"custom_key", m.other_key}}), 400, 1429);
        check_failure(put(path_of(h), {{"custom_certificate", signed_for(m.trusted, new_key, {"other.acme.io"}, m.valid())},
                                       {"custom_key", new_key}}),
                      400, 1446);
        unchanged();
    }
    SUBCASE("400 / 1427, 1426, 1428, 1400: empty, unparsable certificate or key, not an object") {
        check_failure(put(path_of(h), json::object()), 400, 1427);
        check_failure(put(path_of(h), {{"custom_certificate", "junk"}, {"custom_key", new_key}}), 400, 1426);
        check_failure(put(path_of(h), {{"custom_certificate", good["custom_certificate"]}, {"custom_key", "junk"}}), 400, 1428);
        check_failure(put(path_of(h), json::array()), 400, 1400);
        unchanged();
    }
    SUBCASE("404 / 1431: a custom CSR the zone does not have") {
        check_failure(put(path_of(h), {{"custom_certificate", good["custom_certificate"]}, {"custom_csr_id", unknown_id}}),
                      404, 1431);
    }
    CHECK(client.del(zone_hostnames() + "/" + h.id).status == 200);
}

TEST_CASE("a Cloudflare-managed DV pair has certificate ids, but is neither replaced nor deleted by them") {
    ServerProcess server({"--key-pool", "0", "--validation", "auto", "--validation-step", "0"});
    ApiClient client(server);
    auto r = client.post(zone_hostnames(), {{"hostname", "dv.acme.io"}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(r.status == 201);
    std::string id = r.json()["result"]["id"];
    json ssl;
    REQUIRE(eventually([&] {
        ssl = client.get(zone_hostnames() + "/" + id).json()["result"]["ssl"];
        return ssl["status"] == "active" && ssl.contains("certificates");
    }));
    REQUIRE(ssl["certificates"].size() == 2);
    std::string ecdsa_id = ssl["certificates"][0]["id"], rsa_id = ssl["certificates"][1]["id"];
    CHECK(ecdsa_id.size() == 36);
    CHECK(ecdsa_id != rsa_id);
    std::string key = p256_key();
    check_failure(client.put(path_of(id, ssl["id"], ecdsa_id),
                             {{"custom_certificate", emulator_sign(client, crypto::create_csr(subject_for("dv.acme.io"), {"dv.acme.io"}, key))},
                              {"custom_key", key}}),
                  400, 1434);
    check_failure(client.del(path_of(id, ssl["id"], rsa_id)), 400, 1434);
    // The ids are stable across reads.
    auto again = client.get(zone_hostnames() + "/" + id).json()["result"]["ssl"];
    CHECK(again["certificates"][0]["id"] == ecdsa_id);
}
