// DV issuance as a customer would inspect the result: both key types, a chain `openssl verify`
// accepts for TLS servers, the hostname alone, 90 days, and keys that match.
#include <doctest/doctest.h>

#include "crypto/certificate.hpp"
#include "crypto/dv_issuance.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "fixtures.hpp"
#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"
#include "support/time_text.hpp"

using namespace test_support;

namespace {

const crypto::DvCertificates& issued() {
    static const crypto::DvCertificates certs = crypto::issue_dv_certificates(test_ca(), "shop.acme.io", kNow);
    return certs;
}

std::string openssl_text(const std::string& pem, const std::string& args) {
    TempFile file(pem);
    return run("openssl x509 -in " + file.path() + " " + args).output;
}

void check_one(const crypto::IssuedCertificate& cert, crypto::KeyType type) {
    CHECK(crypto::key_type_of_private_key(cert.private_key_pem) == type);
    auto chain = crypto::parse_certificates(cert.chain_pem);
    REQUIRE(chain.size() == 2);
    const auto& leaf = chain[0];
    CHECK(leaf.public_key_pem == crypto::public_key_of_private_key(cert.private_key_pem));
    CHECK(chain[1].pem == test_ca().intermediate_certificate_pem);

    CHECK(cert.hosts == std::vector<std::string>{"shop.acme.io"});
    CHECK(cert.not_before == kNow);
    CHECK(cert.not_after - cert.not_before == 90 * day);
    CHECK(cert.serial_number == leaf.serial_number);
    CHECK(cert.serial_number.find_first_not_of("0123456789") == std::string::npos);
    CHECK(cert.issuer == leaf.issuer);
    CHECK(cert.issuer.find("csr-emulator Test Intermediate CA") != std::string::npos);
    CHECK(cert.signature == "ECDSAWithSHA256");
    CHECK(cert.fingerprint_sha256 == leaf.fingerprint_sha256);
    CHECK(openssl_text(cert.chain_pem, "-noout -subject") == "subject=CN = shop.acme.io\n");

    TempFile root(test_ca().root_certificate_pem), intermediate(test_ca().intermediate_certificate_pem),
        leaf_file(leaf.pem);
    auto verify = run("openssl verify -attime " + std::to_string(kNow + day) + " -purpose sslserver -CAfile " +
                      root.path() + " -untrusted " + intermediate.path() + " " + leaf_file.path());
    CHECK_MESSAGE(verify.exit_code == 0, verify.output);
}

}  // namespace

TEST_SUITE_BEGIN("dv_issuance");

TEST_CASE("DV issuance: an ECDSA P-256 certificate, verified by openssl") { check_one(issued().ecdsa, crypto::KeyType::p256v1); }

TEST_CASE("DV issuance: an RSA-2048 certificate, verified by openssl") { check_one(issued().rsa, crypto::KeyType::rsa2048); }

TEST_CASE("DV issuance: each certificate gets its own serial and key") {
    CHECK(issued().ecdsa.serial_number != issued().rsa.serial_number);
    auto again = crypto::issue_dv_certificates(test_ca(), "shop.acme.io", kNow);
    CHECK(again.ecdsa.serial_number != issued().ecdsa.serial_number);
    CHECK(again.ecdsa.private_key_pem != issued().ecdsa.private_key_pem);
}

TEST_CASE("DV issuance: the certificate checks Cloudflare runs on uploads pass") {
    crypto::TrustStore trust;
    trust.add_pem(test_ca().root_certificate_pem);
    crypto::CertificateCheck check{.chain_pem = issued().ecdsa.chain_pem,
                                   .expected_public_key_pem = crypto::public_key_of_private_key(issued().ecdsa.private_key_pem),
                                   .hostnames = {"shop.acme.io"},
                                   .now = kNow + day};
    CHECK(crypto::check_certificate(check, trust).problem == crypto::CertificateProblem::none);
}

TEST_CASE("DV issuance with keys made elsewhere: the certificates carry exactly those keys") {
    std::string ecdsa_key = crypto::generate_private_key(crypto::KeyType::p256v1);
    std::string rsa_key = crypto::generate_private_key(crypto::KeyType::rsa2048);
    auto certs = crypto::issue_dv_certificates(test_ca(), "shop.acme.io", kNow, ecdsa_key, rsa_key);
    check_one(certs.ecdsa, crypto::KeyType::p256v1);
    check_one(certs.rsa, crypto::KeyType::rsa2048);
    CHECK(crypto::public_key_of_private_key(certs.ecdsa.private_key_pem) == crypto::public_key_of_private_key(ecdsa_key));
    CHECK(crypto::public_key_of_private_key(certs.rsa.private_key_pem) == crypto::public_key_of_private_key(rsa_key));
    // Keys of the wrong kind, or no key at all, are refused.
    CHECK_THROWS_AS(crypto::issue_dv_certificates(test_ca(), "shop.acme.io", kNow, rsa_key, rsa_key), crypto::Error);
    CHECK_THROWS_AS(crypto::issue_dv_certificates(test_ca(), "shop.acme.io", kNow, ecdsa_key, ecdsa_key), crypto::Error);
    CHECK_THROWS_AS(crypto::issue_dv_certificates(test_ca(), "shop.acme.io", kNow, "not a key", rsa_key), crypto::Error);
}

TEST_SUITE_END();
