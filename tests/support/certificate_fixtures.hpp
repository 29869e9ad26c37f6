#pragma once
// What the custom hostname and custom certificate suites share: paths, CSRs made through the
// API, chains from the emulator's test CA (POST /_emulator/ca/sign), and the facts to compare a
// response with.
#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/keys.hpp"
#include "storage/database.hpp"
#include "support/api_client.hpp"
#include "support/csr_fixtures.hpp"
#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"
#include "support/time_text.hpp"

namespace test_support {

inline std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

inline std::string zone_hostnames(const std::string& zone = zone_a) {
    return "/client/v4/zones/" + zone + "/custom_hostnames";
}
inline std::string zone_certificates(const std::string& zone = zone_a) {
    return "/client/v4/zones/" + zone + "/custom_certificates";
}

inline crypto::CsrSubject subject_for(const std::string& common_name) {
    return {"US", "MA", "Boston", "City of Boston", std::nullopt, common_name};
}

struct ZoneCsr {
    std::string id, pem;
};

// A P-256 custom CSR of the zone with these SANs (the first is the common name).
inline ZoneCsr create_zone_csr(ApiClient& client, const std::vector<std::string>& sans,
                               const std::string& zone = zone_a) {
    nlohmann::json body = csr_body("p256v1", sans);
    body["common_name"] = sans.front();
    auto response = client.post(zone_csrs(zone), body);
    INFO(response.body);
    REQUIRE(response.status == 201);
    auto result = response.json()["result"];
    return {result["id"], result["csr"]};
}

// Leaf + intermediate from the emulator's test CA, valid from now for `days` (90 when 0).
inline std::string emulator_sign(ApiClient& client, const std::string& csr_pem, int days = 0) {
    nlohmann::json body = {{"csr", csr_pem}};
    if (days > 0) body["days"] = days;
    auto response = client.send("POST", "/_emulator/ca/sign", body.dump(), {{"Content-Type", "application/json"}});
    INFO(response.body);
    REQUIRE(response.status == 200);
    return response.body;
}

inline std::string emulator_root(ApiClient& client) {
    auto response = client.send("GET", "/_emulator/ca/root.pem", {}, {});
    REQUIRE(response.status == 200);
    return response.body;
}

inline crypto::CertificateDetails leaf_of(const std::string& chain_pem) {
    return crypto::parse_certificates(chain_pem).at(0);
}

// The private key the emulator keeps for a CSR, read from its database file (WAL lets a second
// reader in while the server runs): tests need it to build certificates for the CSR's key that
// the test CA would never issue (self-signed, ...).
inline std::string stored_csr_key(const std::string& db_path, const std::string& csr_id) {
    storage::Database db(db_path);
    storage::Statement s(db, "SELECT private_key_pem FROM custom_csrs WHERE id = ?");
    s.bind(1, csr_id);
    REQUIRE(s.step());
    return s.text(0);
}

// A private key the emulator would never make (RSA-1024, P-224, ...), from the openssl command line.
inline std::string openssl_genpkey(const std::string& options) {
    auto result = run("openssl genpkey " + options);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    return result.output;
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

// Built once per test process: CAs of our own (one whose root servers are told to trust with
// --trust-bundle, so certificates with the dates and digests we choose chain to a trusted root;
// one nobody trusts) and a key no CSR has.
struct Material {
    std::int64_t now = unix_now();
    crypto::CaMaterial trusted = crypto::create_emulator_ca(now);
    crypto::CaMaterial unknown = crypto::create_emulator_ca(now);
    std::string other_key = crypto::generate_private_key(crypto::KeyType::p256v1);
    TempDir dir;
    std::string trusted_bundle = dir.file("trusted-root.pem");

    Material() { write_file(trusted_bundle, trusted.root_certificate_pem); }
    crypto::SignOptions valid() const { return {now - day, now + 30 * day, "sha256"}; }
};

inline Material& material() {
    static Material m;
    return m;
}

// A server that trusts our CA (material()), whose zone A holds a CSR for app.acme.io and
// www.acme.io.
struct TrustingServer {
    ServerProcess server{{"--key-pool", "0", "--trust-bundle", material().trusted_bundle}};
    ApiClient client{server};
    ZoneCsr csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
    std::string csr_key = stored_csr_key(server.db_path(), csr.id);
};

// One such server for the test process, for the cases that only need the zone's CSR and do not
// count what the zone holds across resources (custom hostnames and custom certificates).
inline TrustingServer& shared() {
    static TrustingServer s;
    return s;
}

// The leaf's facts as a response shows them; a custom hostname's ssl also shows the serial number.
inline constexpr bool with_serial_number = true;
inline void check_certificate_facts(const nlohmann::json& shown, const crypto::CertificateDetails& leaf,
                                    bool serial_number_shown = false) {
    CHECK(shown["issuer"] == leaf.issuer);
    if (serial_number_shown) CHECK(shown["serial_number"] == leaf.serial_number);
    CHECK(shown["signature"] == leaf.signature);
    CHECK(shown["expires_on"] == rfc3339(leaf.not_after));
    CHECK(shown["hosts"] == nlohmann::json(leaf.dns_names));
}

// The response must not carry a private key anywhere.
inline void check_no_key(const HttpResponse& response) {
    CHECK(response.body.find("PRIVATE KEY") == std::string::npos);
    CHECK(response.body.find("custom_key") == std::string::npos);
    CHECK(response.body.find("private_key") == std::string::npos);
}

}  // namespace test_support
