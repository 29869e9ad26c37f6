// The emulator's test CA, the customer's CA of the tutorial: GET /_emulator/ca/root.pem and
// intermediate.pem, POST /_emulator/ca/sign, and `csr-emulator ca sign|root` on the same database.
#include <doctest/doctest.h>

#include <signal.h>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

// Whether the chain verifies, for `hostname`, to `root` alone.
crypto::CertificateProblem verify_to(const std::string& chain, const std::string& root, const std::string& hostname) {
    crypto::TrustStore trust;
    trust.add_pem(root);
    crypto::CertificateCheck check{chain, std::nullopt, {hostname}, false, unix_now()};
    return crypto::check_certificate(check, trust).problem;
}

}  // namespace

TEST_CASE("root.pem and intermediate.pem: PEM, no credentials needed, the intermediate issued by the root") {
    ServerProcess server({"--key-pool", "0"});
    HttpClient http(server.host(), server.port());
    auto root = http.request("GET", "/_emulator/ca/root.pem");
    auto intermediate = http.request("GET", "/_emulator/ca/intermediate.pem");
    REQUIRE(root.status == 200);
    REQUIRE(intermediate.status == 200);
    CHECK(root.header("Content-Type") == std::optional<std::string>("application/x-pem-file"));
    auto root_cert = crypto::parse_certificates(root.body);
    auto intermediate_cert = crypto::parse_certificates(intermediate.body);
    REQUIRE(root_cert.size() == 1);
    REQUIRE(intermediate_cert.size() == 1);
    CHECK(root_cert[0].subject_common_name.starts_with("csr-emulator Test Root CA"));
    CHECK(intermediate_cert[0].subject_common_name.starts_with("csr-emulator Test Intermediate CA"));
    CHECK(intermediate_cert[0].issuer.starts_with("csr-emulator Test Root CA"));
}

TEST_CASE("POST /_emulator/ca/sign: a CSR PEM or JSON {csr, days}; leaf + intermediate for the CSR's key and names") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    std::string root = emulator_root(client);
    std::string intermediate = client.send("GET", "/_emulator/ca/intermediate.pem", {}, {}).body;
    std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    std::string csr = crypto::create_csr(subject_for("app.acme.io"), {"app.acme.io", "*.shop.acme.io"}, key);
    std::int64_t before = unix_now();

    SUBCASE("a PEM body: 90 days") {
        auto r = client.send("POST", "/_emulator/ca/sign", csr, {});
        REQUIRE(r.status == 200);
        CHECK(r.header("Content-Type") == std::optional<std::string>("application/x-pem-file"));
        auto chain = crypto::parse_certificates(r.body);
        REQUIRE(chain.size() == 2);
        CHECK(chain[1].pem == crypto::parse_certificates(intermediate).at(0).pem);
        CHECK(chain[0].public_key_pem == crypto::public_key_of_private_key(key));
        CHECK(chain[0].subject_common_name == "app.acme.io");
        CHECK(chain[0].dns_names == std::vector<std::string>{"app.acme.io", "*.shop.acme.io"});
        CHECK(chain[0].signature == "ECDSAWithSHA256");
        CHECK(chain[0].not_before <= before);
        CHECK(chain[0].not_after >= before + 90 * day - 60);
        CHECK(chain[0].not_after <= unix_now() + 90 * day + 60);
        CHECK(verify_to(r.body, root, "app.acme.io") == crypto::CertificateProblem::none);
        CHECK(verify_to(r.body, root, "x.shop.acme.io") == crypto::CertificateProblem::none);
    }
    SUBCASE("JSON with days") {
        std::string chain = emulator_sign(client, csr, 7);
        auto leaf = leaf_of(chain);
        CHECK(leaf.not_after >= before + 7 * day - 60);
        CHECK(leaf.not_after <= unix_now() + 7 * day + 60);
        CHECK(verify_to(chain, root, "app.acme.io") == crypto::CertificateProblem::none);
        // Each signature is a new certificate.
        CHECK(leaf_of(emulator_sign(client, csr, 7)).serial_number != leaf.serial_number);
    }
    SUBCASE("400 / 1400 envelopes for what cannot be signed") {
        auto bad = [&](const std::string& body) {
            CAPTURE(body);
            check_failure(client.send("POST", "/_emulator/ca/sign", body, {}), 400, 1400);
        };
        bad("");
        bad("garbage");
        bad("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
        bad(json{{"csr", 5}}.dump());
        bad(json{{"days", 5}}.dump());
        bad(json{{"csr", csr}, {"days", 0}}.dump());
        bad(json{{"csr", csr}, {"days", 3651}}.dump());
        bad(json{{"csr", csr}, {"days", 1.5}}.dump());
        bad(json{{"csr", csr}, {"days", "30"}}.dump());
        bad("{\"csr\": ");
    }
}

TEST_CASE("the test CA is kept in the database: the same root after a restart, certificates signed before still upload") {
    TempDir dir;
    std::string db = dir.file("ca.sqlite3");
    std::string root, chain, csr_id;
    {
        ServerProcess first({"--key-pool", "0", "--db", db});
        ApiClient client(first);
        root = emulator_root(client);
        auto csr = create_zone_csr(client, {"app.acme.io"});
        csr_id = csr.id;
        chain = emulator_sign(client, csr.pem);
        CHECK(first.stop(SIGTERM) == 0);
    }
    ServerProcess second({"--key-pool", "0", "--db", db});
    ApiClient client(second);
    CHECK(emulator_root(client) == root);
    auto r = client.post(zone_hostnames(), {{"hostname", "app.acme.io"}, {"ssl", {{"custom_csr_id", csr_id}, {"custom_certificate", chain}}}});
    INFO(r.body);
    CHECK(r.status == 201);
    // Another database has a root of its own, which does not trust the first one's certificates.
    ServerProcess other({"--key-pool", "0"});
    ApiClient other_client(other);
    CHECK(emulator_root(other_client) != root);
    CHECK(verify_to(chain, emulator_root(other_client), "app.acme.io") == crypto::CertificateProblem::untrusted);
}

TEST_CASE("csr-emulator ca sign | root: the CA of the server on the same database") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    std::string root = emulator_root(client);
    TempDir dir;
    std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    std::string csr_file = dir.file("csr.txt");
    write_file(csr_file, crypto::create_csr(subject_for("cli.acme.io"), {"cli.acme.io"}, key));

    auto printed_root = run_emulator({"ca", "root", "--db", server.db_path()});
    CHECK(printed_root.exit_code == 0);
    CHECK(printed_root.out == root);

    auto signed_default = run_emulator({"ca", "sign", "--csr", csr_file, "--db", server.db_path()});
    INFO(signed_default.err);
    REQUIRE(signed_default.exit_code == 0);
    CHECK(verify_to(signed_default.out, root, "cli.acme.io") == crypto::CertificateProblem::none);
    auto leaf = leaf_of(signed_default.out);
    CHECK(leaf.public_key_pem == crypto::public_key_of_private_key(key));
    CHECK(leaf.not_after >= unix_now() + 90 * day - 120);

    auto signed_short = run_emulator({"ca", "sign", "--csr", csr_file, "--days", "3", "--db", server.db_path()});
    REQUIRE(signed_short.exit_code == 0);
    CHECK(leaf_of(signed_short.out).not_after <= unix_now() + 3 * day + 60);

    // The server accepts what the CLI signed.
    auto r = client.post(zone_hostnames(), {{"hostname", "cli.acme.io"},
                                            {"ssl", {{"custom_certificate", signed_default.out}, {"custom_key", key}}}});
    INFO(r.body);
    CHECK(r.status == 201);

    SUBCASE("usage errors exit 2; unreadable or unsignable input exits 1") {
        CHECK(run_emulator({"ca", "sign", "--db", server.db_path()}).exit_code == 2);
        CHECK(run_emulator({"ca", "sign", "--csr", csr_file, "--days", "0", "--db", server.db_path()}).exit_code == 2);
        CHECK(run_emulator({"ca", "sign", "--csr", csr_file, "--days", "many", "--db", server.db_path()}).exit_code == 2);
        CHECK(run_emulator({"ca", "frobnicate"}).exit_code == 2);
        auto missing = run_emulator({"ca", "sign", "--csr", dir.file("nope.txt"), "--db", server.db_path()});
        CHECK(missing.exit_code == 1);
        CHECK(missing.err.find("nope.txt") != std::string::npos);
        std::string garbage = dir.file("garbage.txt");
        write_file(garbage, "not a CSR");
        auto unsignable = run_emulator({"ca", "sign", "--csr", garbage, "--db", server.db_path()});
        CHECK(unsignable.exit_code == 1);
        CHECK(unsignable.out.empty());
    }
}
