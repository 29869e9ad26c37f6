// The Origin CA in the crypto layer: its roots, what it reads of a CSR, and the certificates it
// issues (48-digit serials, the hostnames as SANs, the CSR's key, verified against the root).
#include <doctest/doctest.h>

#include <ctime>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "crypto/origin_ca.hpp"

namespace {

std::string csr_for(const std::string& key) {
    return crypto::create_csr({"US", "CA", "SF", "Origin Co", std::nullopt, "www.acme.io"}, {"www.acme.io"}, key);
}

// The leaf verified against the root alone, at `at`.
bool chains_to(const std::string& root_pem, const std::string& leaf_pem, std::int64_t at) {
    crypto::TrustStore trust;
    trust.add_pem(root_pem);
    crypto::CertificateCheck check;
    check.chain_pem = leaf_pem;
    check.now = at;
    return crypto::check_certificate(check, trust).problem == crypto::CertificateProblem::none;
}

}  // namespace

TEST_CASE("Origin CA: RSA and ECC roots sign certificates for the CSR's key with 48-digit serials") {
    const std::int64_t now = std::time(nullptr);
    auto rsa_root = crypto::create_origin_root(crypto::OriginRootKind::rsa, now);
    auto ecc_root = crypto::create_origin_root(crypto::OriginRootKind::ecc, now);
    CHECK(crypto::parse_certificates(rsa_root.certificate_pem).front().public_key_type == "RSA");
    CHECK(crypto::parse_certificates(ecc_root.certificate_pem).front().public_key_type == "EC");

    struct Case {
        crypto::KeyType type;
        const crypto::OriginCaRoot& root;
        const crypto::OriginCaRoot& other;
    };
    for (const Case& c : {Case{crypto::KeyType::rsa2048, rsa_root, ecc_root}, Case{crypto::KeyType::p256v1, ecc_root, rsa_root}}) {
        const auto& root = c.root;
        const auto type = c.type;
        std::string key = crypto::generate_private_key(type);
        auto issued = crypto::issue_origin_certificate(root, csr_for(key), {"acme.io", "*.acme.io"}, now, now + 7 * 86400);
        CHECK(issued.serial_decimal.size() == 48);
        auto leaf = crypto::parse_certificates(issued.certificate_pem).front();
        CHECK(leaf.serial_number == issued.serial_decimal);
        CHECK(leaf.public_key_pem == crypto::public_key_of_private_key(key));
        CHECK(leaf.dns_names == std::vector<std::string>{"acme.io", "*.acme.io"});
        CHECK(leaf.not_after - leaf.not_before == 7 * 86400);
        CHECK(chains_to(root.certificate_pem, issued.certificate_pem, now + 60));
        CHECK_FALSE(chains_to(c.other.certificate_pem, issued.certificate_pem, now + 60));
    }
}

TEST_CASE("Origin CA reads a CSR's key algorithm and signature; refuses what it cannot sign") {
    std::string rsa = csr_for(crypto::generate_private_key(crypto::KeyType::rsa2048));
    std::string ecc = csr_for(crypto::generate_private_key(crypto::KeyType::p256v1));
    auto rsa_facts = crypto::inspect_origin_csr(rsa);
    CHECK(rsa_facts.algorithm == crypto::CsrKeyAlgorithm::rsa);
    CHECK(rsa_facts.bits == 2048);
    CHECK(rsa_facts.signature_valid);
    CHECK(crypto::inspect_origin_csr(ecc).algorithm == crypto::CsrKeyAlgorithm::ec);
    CHECK_THROWS_AS(crypto::inspect_origin_csr("not a csr"), crypto::Error);

    // A CSR whose signature is broken: read, but flagged, and never signed.
    std::string tampered = ecc;
    auto body = tampered.find('\n') + 40;
    tampered[body] = tampered[body] == 'A' ? 'B' : 'A';
    auto root = crypto::create_origin_root(crypto::OriginRootKind::ecc, std::time(nullptr));
    bool readable = true;
    try {
        readable = crypto::inspect_origin_csr(tampered).signature_valid;
    } catch (const crypto::Error&) {
        readable = false;  // the change broke the DER instead: refused either way
    }
    CHECK_FALSE(readable);
    CHECK_THROWS_AS(crypto::issue_origin_certificate(root, tampered, {"acme.io"}, 0, 86400), crypto::Error);
    CHECK_THROWS_AS(crypto::issue_origin_certificate(root, ecc, {}, 0, 86400), crypto::Error);
}
