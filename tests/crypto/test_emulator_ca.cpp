#include <doctest/doctest.h>

#include <ctime>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "pem_text.hpp"
#include "fixtures.hpp"

using namespace test_support;

namespace {

const crypto::CsrSubject kCaSubject{"US", "California", "San Francisco", "Example Inc", std::string("Ops"),
                                  "example.com"};
const std::vector<std::string> kCaSans{"example.com", "*.example.com", "www.example.com"};

crypto::SignOptions ca_ninety_days() { return {kNow - day, kNow + 90 * day, "sha256"}; }

std::string ca_openssl_x509(const std::string& pem, const std::string& args) {
    TempFile file(pem);
    auto result = run("openssl x509 -in " + file.path() + " " + args);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    return result.output;
}

// `openssl verify` of leaf against root with the intermediate as untrusted, at `at`.
CommandResult openssl_verify(const std::string& root, const std::string& intermediate, const std::string& leaf,
                             std::int64_t at = kNow) {
    TempFile root_file(root), intermediate_file(intermediate), leaf_file(leaf);
    return run("openssl verify -attime " + std::to_string(at) + " -purpose sslserver -CAfile " + root_file.path() +
               " -untrusted " + intermediate_file.path() + " " + leaf_file.path());
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

void check_signed_leaf_for(const std::string& key, bool rsa) {
    const auto& ca = test_ca();
    const auto csr = crypto::create_csr(kCaSubject, kCaSans, key);
    const auto chain = crypto::sign_csr(ca, csr, ca_ninety_days());
    const auto blocks = pem_blocks(chain);
    REQUIRE(blocks.size() == 2);
    const std::string& leaf = blocks[0];

    SUBCASE("returns leaf PEM followed by the intermediate PEM") {
        CHECK(chain == blocks[0] + blocks[1]);
        CHECK(blocks[1] == ca.intermediate_certificate_pem);
    }
    SUBCASE("`openssl verify -CAfile root -untrusted intermediate leaf` exits 0") {
        auto verify = openssl_verify(ca.root_certificate_pem, ca.intermediate_certificate_pem, leaf);
        CHECK_MESSAGE(verify.exit_code == 0, verify.output);
        REQUIRE(verify.output.size() > 5);
        CHECK(verify.output.substr(verify.output.size() - 5) == ": OK\n");
    }
    SUBCASE("copies the CSR's subject and SANs in order, and its key") {
        CHECK(ca_openssl_x509(leaf, "-noout -subject") ==
              "subject=C = US, ST = California, L = San Francisco, O = Example Inc, OU = Ops, CN = example.com\n");
        auto details = crypto::parse_certificates(leaf).at(0);
        CHECK(details.dns_names == kCaSans);
        CHECK(details.subject_common_name == "example.com");
        CHECK(details.public_key_pem == crypto::public_key_of_private_key(key));
        CHECK(details.not_before == kNow - day);
        CHECK(details.not_after == kNow + 90 * day);
        CHECK(details.signature == "ECDSAWithSHA256");  // the intermediate is P-256
        CHECK(details.issuer == crypto::parse_certificates(ca.intermediate_certificate_pem).at(0).subject_common_name);
    }
    SUBCASE("extensions: CA:FALSE critical, keyUsage, serverAuth, SKI, AKI = intermediate's SKI") {
        auto text = ca_openssl_x509(leaf, "-noout -text");
        CHECK(has(text, "X509v3 Basic Constraints: critical\n                CA:FALSE\n"));
        CHECK(has(text, rsa ? "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"
                            : "X509v3 Key Usage: critical\n                Digital Signature\n"));
        CHECK(has(text, "X509v3 Extended Key Usage: \n                TLS Web Server Authentication\n"));
        CHECK(has(text, "X509v3 Subject Key Identifier"));
        CHECK(has(text, "Version: 3 (0x2)"));
        auto ski = ca_openssl_x509(ca.intermediate_certificate_pem, "-noout -ext subjectKeyIdentifier");
        auto key_id = ski.substr(ski.rfind(' ') + 1);  // "AB:CD:...\n"
        CHECK(has(text, "X509v3 Authority Key Identifier: \n                " + key_id));
    }
    SUBCASE("serial: random, positive, at most 16 bytes") {
        auto serial = ca_openssl_x509(leaf, "-noout -serial");  // "serial=7A0F...\n"
        REQUIRE(serial.rfind("serial=", 0) == 0);
        auto hex = serial.substr(7, serial.size() - 8);
        CHECK(hex.size() <= 32);
        CHECK(hex.size() >= 20);  // 2^-48 chance of a false failure
        CHECK(std::string("01234567").find(hex.size() == 32 ? hex[0] : '0') != std::string::npos);
        auto again = crypto::parse_certificates(crypto::sign_csr(ca, csr, ca_ninety_days())).at(0);
        CHECK(again.serial_number != crypto::parse_certificates(leaf).at(0).serial_number);
    }
}

}  // namespace

TEST_CASE("create_emulator_ca") {
    const auto& ca = test_ca();
    const auto root = crypto::parse_certificates(ca.root_certificate_pem);
    const auto intermediate = crypto::parse_certificates(ca.intermediate_certificate_pem);
    REQUIRE(root.size() == 1);
    REQUIRE(intermediate.size() == 1);

    SUBCASE("names: \"csr-emulator Test Root CA <suffix>\" and \"... Intermediate CA <suffix>\", same hex suffix") {
        const std::string root_prefix = "csr-emulator Test Root CA ";
        const std::string intermediate_prefix = "csr-emulator Test Intermediate CA ";
        REQUIRE(root[0].subject_common_name.rfind(root_prefix, 0) == 0);
        auto suffix = root[0].subject_common_name.substr(root_prefix.size());
        CHECK(suffix.size() == 8);
        CHECK(suffix.find_first_not_of("0123456789abcdef") == std::string::npos);
        CHECK(intermediate[0].subject_common_name == intermediate_prefix + suffix);
        CHECK(root[0].issuer == root[0].subject_common_name);
        CHECK(intermediate[0].issuer == root[0].subject_common_name);
    }
    SUBCASE("validity: from now-1h, 20 years (root) and 10 years (intermediate)") {
        CHECK(root[0].not_before == kNow - 3600);
        CHECK(root[0].not_after == kNow - 3600 + 7305 * day);
        CHECK(intermediate[0].not_before == kNow - 3600);
        CHECK(intermediate[0].not_after == kNow - 3600 + 3653 * day);
    }
    SUBCASE("P-256 keys that match the certificates, ECDSA-SHA256 signatures") {
        CHECK(crypto::key_type_of_private_key(ca.root_private_key_pem) == crypto::KeyType::p256v1);
        CHECK(crypto::key_type_of_private_key(ca.intermediate_private_key_pem) == crypto::KeyType::p256v1);
        CHECK(root[0].public_key_pem == crypto::public_key_of_private_key(ca.root_private_key_pem));
        CHECK(intermediate[0].public_key_pem == crypto::public_key_of_private_key(ca.intermediate_private_key_pem));
        CHECK(root[0].signature == "ECDSAWithSHA256");
        CHECK(intermediate[0].signature == "ECDSAWithSHA256");
    }
    SUBCASE("extensions: CA:TRUE (pathlen 0 on the intermediate), keyCertSign+cRLSign, SKI/AKI") {
        auto root_text = ca_openssl_x509(ca.root_certificate_pem, "-noout -text");
        CHECK(has(root_text, "X509v3 Basic Constraints: critical\n                CA:TRUE\n"));
        CHECK(has(root_text, "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n"));
        CHECK(has(root_text, "X509v3 Subject Key Identifier"));
        CHECK(has(root_text, "X509v3 Authority Key Identifier"));
        auto text = ca_openssl_x509(ca.intermediate_certificate_pem, "-noout -text");
        CHECK(has(text, "X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0\n"));
        CHECK(has(text, "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n"));
        auto root_ski = ca_openssl_x509(ca.root_certificate_pem, "-noout -ext subjectKeyIdentifier");
        CHECK(has(text, "X509v3 Authority Key Identifier: \n                " + root_ski.substr(root_ski.rfind(' ') + 1)));
    }
    SUBCASE("`openssl verify -CAfile root intermediate` exits 0") {
        TempFile root_file(ca.root_certificate_pem), intermediate_file(ca.intermediate_certificate_pem);
        auto verify = run("openssl verify -attime " + std::to_string(kNow) + " -CAfile " + root_file.path() + " " +
                          intermediate_file.path());
        CHECK_MESSAGE(verify.exit_code == 0, verify.output);
    }
    SUBCASE("two CAs are distinguishable") {
        const auto other = crypto::parse_certificates(other_ca().root_certificate_pem);
        CHECK(other[0].subject_common_name != root[0].subject_common_name);
        CHECK(other[0].public_key_pem != root[0].public_key_pem);
    }
}

TEST_CASE("sign_csr") {
    SUBCASE("RSA-2048 CSR") { check_signed_leaf_for(rsa_key(), true); }
    SUBCASE("P-256 CSR") { check_signed_leaf_for(p256_key(), false); }

    SUBCASE("a CSR without SANs gets its CN as the single SAN") {
        auto chain = crypto::sign_csr(test_ca(), crypto::create_csr(kCaSubject, {}, p256_key()), ca_ninety_days());
        CHECK(crypto::parse_certificates(chain).at(0).dns_names == std::vector<std::string>{"example.com"});
        CHECK(has(ca_openssl_x509(pem_blocks(chain).at(0), "-noout -ext subjectAltName"), "DNS:example.com\n"));
    }
    SUBCASE("\"CSR signature does not verify\"") {
        auto csr = crypto::create_csr(kCaSubject, kCaSans, p256_key());
        auto der = pem_der(csr);
        der[der.find("Example Inc")] = 'F';
        try {
            crypto::sign_csr(test_ca(), pem_wrap("CERTIFICATE REQUEST", der), ca_ninety_days());
            FAIL("no exception");
        } catch (const crypto::Error& e) {
            CHECK(std::string(e.what()) == "CSR signature does not verify");
        }
    }
    SUBCASE("digest: sha384 and sha1 are honoured, anything else throws") {
        auto csr = crypto::create_csr(kCaSubject, kCaSans, p256_key());
        auto options = ca_ninety_days();
        options.digest = "sha384";
        CHECK(crypto::parse_certificates(crypto::sign_csr(test_ca(), csr, options)).at(0).signature ==
              "ecdsa-with-SHA384");
        options.digest = "sha1";
        CHECK(crypto::parse_certificates(crypto::sign_csr(test_ca(), csr, options)).at(0).signature ==
              "ecdsa-with-SHA1");
        options.digest = "md5";
        CHECK_THROWS_AS(crypto::sign_csr(test_ca(), csr, options), crypto::Error);
    }
    SUBCASE("not_after before not_before throws; garbage CSR throws; mismatched CA key throws") {
        auto csr = crypto::create_csr(kCaSubject, kCaSans, p256_key());
        CHECK_THROWS_AS(crypto::sign_csr(test_ca(), csr, {kNow, kNow - 1, "sha256"}), crypto::Error);
        CHECK_THROWS_AS(crypto::sign_csr(test_ca(), "garbage", ca_ninety_days()), crypto::Error);
        auto broken = test_ca();
        broken.intermediate_private_key_pem = other_ca().intermediate_private_key_pem;
        CHECK_THROWS_AS(crypto::sign_csr(broken, csr, ca_ninety_days()), crypto::Error);
    }
}

TEST_CASE("create_intermediate") {
    SUBCASE("under the test root: a new intermediate whose leaves verify to that root") {
        auto ca = crypto::create_intermediate(test_ca().root_certificate_pem, test_ca().root_private_key_pem, kNow);
        CHECK(ca.root_certificate_pem == test_ca().root_certificate_pem);
        CHECK(ca.intermediate_certificate_pem != test_ca().intermediate_certificate_pem);
        auto chain = crypto::sign_csr(ca, crypto::create_csr(kCaSubject, kCaSans, p256_key()), ca_ninety_days());
        auto verify = openssl_verify(test_ca().root_certificate_pem, ca.intermediate_certificate_pem,
                                     pem_blocks(chain).at(0));
        CHECK_MESSAGE(verify.exit_code == 0, verify.output);
    }
    SUBCASE("under a team's RSA root made by `openssl req -x509`: validity cut to the root's notAfter") {
        TempFile key_file(rsa_key());
        auto root = run("openssl req -x509 -key " + key_file.path() + " -subj '/O=Team/CN=Team Root' -days 365");
        REQUIRE_MESSAGE(root.exit_code == 0, root.output);
        // The openssl CLI dates the root by the real clock: read it after, or a second boundary
        // between the two makes the root "not yet valid" at `now`.
        const std::int64_t now = std::time(nullptr);
        auto ca = crypto::create_intermediate(root.output, rsa_key(), now);
        auto root_details = crypto::parse_certificates(root.output).at(0);
        auto intermediate = crypto::parse_certificates(ca.intermediate_certificate_pem).at(0);
        CHECK(intermediate.not_after == root_details.not_after);
        CHECK(intermediate.issuer == "Team");
        CHECK(intermediate.signature == "SHA256WithRSA");
        auto chain = crypto::sign_csr(ca, crypto::create_csr(kCaSubject, kCaSans, p256_key()),
                                      {now - day, now + 30 * day, "sha256"});
        auto verify = openssl_verify(root.output, ca.intermediate_certificate_pem, pem_blocks(chain).at(0), now);
        CHECK_MESSAGE(verify.exit_code == 0, verify.output);
    }
    SUBCASE("throws when the key does not match the root") {
        CHECK_THROWS_AS(
            crypto::create_intermediate(test_ca().root_certificate_pem, other_ca().root_private_key_pem, kNow),
            crypto::Error);
    }
    SUBCASE("throws when the \"root\" is not a CA") {
        auto chain = crypto::sign_csr(test_ca(), crypto::create_csr(kCaSubject, kCaSans, p256_key()), ca_ninety_days());
        CHECK_THROWS_AS(crypto::create_intermediate(pem_blocks(chain).at(0), p256_key(), kNow), crypto::Error);
    }
    SUBCASE("throws when the root's pathLenConstraint is 0") {
        TempFile key_file(p256_key()), config("");
        auto root = run("openssl req -x509 -config " + config.path() + " -key " + key_file.path() +
                        " -subj '/CN=Leaf-only Root' -days 30 -addext 'basicConstraints=critical,CA:TRUE,pathlen:0'");
        REQUIRE_MESSAGE(root.exit_code == 0, root.output);
        CHECK_THROWS_AS(crypto::create_intermediate(root.output, p256_key(), kNow), crypto::Error);
    }
    SUBCASE("throws for garbage") {
        CHECK_THROWS_AS(crypto::create_intermediate("garbage", test_ca().root_private_key_pem, kNow), crypto::Error);
        CHECK_THROWS_AS(crypto::create_intermediate(test_ca().root_certificate_pem, "garbage", kNow), crypto::Error);
    }
}

TEST_CASE("create_self_signed") {
    SUBCASE("a CA:FALSE leaf issued by itself, with the names as SANs and the first as CN") {
        auto pem = crypto::create_self_signed(rsa_key(), {"self.example.com", "www.self.example.com"},
                                              {kNow, kNow + day, "sha1"});
        auto details = crypto::parse_certificates(pem);
        REQUIRE(details.size() == 1);
        CHECK(details[0].subject_common_name == "self.example.com");
        CHECK(details[0].issuer == "self.example.com");
        CHECK(details[0].dns_names == std::vector<std::string>{"self.example.com", "www.self.example.com"});
        CHECK(details[0].signature == "SHA1WithRSA");
        CHECK(details[0].public_key_pem == crypto::public_key_of_private_key(rsa_key()));
        CHECK(has(ca_openssl_x509(pem, "-noout -text"), "CA:FALSE"));
    }
    SUBCASE("no names throws") {
        CHECK_THROWS_AS(crypto::create_self_signed(p256_key(), {}, {kNow, kNow + day, "sha256"}), crypto::Error);
    }
}
