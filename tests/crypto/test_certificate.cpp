#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "fixtures.hpp"

using namespace test_support;
using crypto::CertificateProblem;

namespace {

const crypto::CsrSubject kCertificateSubject{"US", "California", "San Francisco", "Example Inc", std::nullopt,
                                  "shop.example.com"};
const std::vector<std::string> kCertificateSans{"shop.example.com", "*.shop.example.com"};

crypto::SignOptions certificate_ninety_days() { return {kNow - day, kNow + 90 * day, "sha256"}; }

// leaf + intermediate from the test CA for p256_key().
std::string chain_for(const crypto::CaMaterial& ca, const crypto::SignOptions& options,
                      const std::vector<std::string>& sans = kCertificateSans, const std::string& key = p256_key()) {
    return crypto::sign_csr(ca, crypto::create_csr(kCertificateSubject, sans, key), options);
}

const std::string& good_chain() {
    static const std::string chain = chain_for(test_ca(), certificate_ninety_days());
    return chain;
}

const crypto::TrustStore& test_store() {
    static const crypto::TrustStore store = [] {
        crypto::TrustStore s;
        s.add_pem(test_ca().root_certificate_pem);
        return s;
    }();
    return store;
}

crypto::CertificateCheck check_of(std::string_view chain) {
    crypto::CertificateCheck check;
    check.chain_pem = chain;
    check.expected_public_key_pem = crypto::public_key_of_private_key(p256_key());
    check.hostnames = {"shop.example.com"};
    check.now = kNow;
    return check;
}

crypto::CertificateVerdict verdict_of(std::string_view chain, const crypto::TrustStore& store = test_store()) {
    return crypto::check_certificate(check_of(chain), store);
}

std::string certificate_openssl_x509(const std::string& pem, const std::string& args) {
    TempFile file(pem);
    auto result = run("openssl x509 -in " + file.path() + " " + args);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    return result.output;
}

// A certificate made by `openssl req -x509` with an empty config, so only the given -addext apply.
std::string openssl_self_signed(const std::string& subject, const std::string& addext = "") {
    TempFile key(p256_key()), config("");
    auto result = run("openssl req -x509 -config " + config.path() + " -key " + key.path() + " -subj '" + subject +
                      "' -days 30 " + addext);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    return result.output;
}

// "7A0F..." -> decimal, by long division.
std::string hex_to_decimal(const std::string& hex) {
    std::vector<int> digits;  // little-endian hex digits... base 16 -> base 10 by repeated division
    for (char c : hex) digits.push_back(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::toupper(c) - 'A' + 10);
    std::string out;
    while (!(digits.empty())) {
        int remainder = 0;
        std::vector<int> quotient;
        for (int d : digits) {
            int value = remainder * 16 + d;
            if (!quotient.empty() || value / 10 != 0) quotient.push_back(value / 10);
            remainder = value % 10;
        }
        out += static_cast<char>('0' + remainder);
        digits = quotient;
    }
    std::reverse(out.begin(), out.end());
    return out.empty() ? "0" : out;
}

}  // namespace

TEST_CASE("name_covered: RFC 6125") {
    SUBCASE("exact names match case-insensitively, one trailing dot ignored") {
        CHECK(crypto::name_covered({"Shop.Example.COM"}, "shop.example.com"));
        CHECK(crypto::name_covered({"shop.example.com"}, "SHOP.example.com."));
        CHECK(crypto::name_covered({"other.example.com", "shop.example.com"}, "shop.example.com"));
        CHECK_FALSE(crypto::name_covered({"shop.example.com"}, "shop.example.org"));
        CHECK_FALSE(crypto::name_covered({"shop.example.com"}, "hop.example.com"));
    }
    SUBCASE("\"*.a.com\" covers exactly one left-most label") {
        CHECK(crypto::name_covered({"*.a.com"}, "x.a.com"));
        CHECK(crypto::name_covered({"*.A.com"}, "X.a.COM"));
    }
    SUBCASE("\"*.a.com\" does not cover \"a.com\"") { CHECK_FALSE(crypto::name_covered({"*.a.com"}, "a.com")); }
    SUBCASE("\"*.a.com\" does not cover \"x.y.a.com\"") {
        CHECK_FALSE(crypto::name_covered({"*.a.com"}, "x.y.a.com"));
    }
    SUBCASE("wildcard only as the whole left-most label") {
        CHECK_FALSE(crypto::name_covered({"f*.a.com"}, "foo.a.com"));
        CHECK_FALSE(crypto::name_covered({"*o.a.com"}, "foo.a.com"));
        CHECK_FALSE(crypto::name_covered({"x.*.a.com"}, "x.y.a.com"));
        CHECK_FALSE(crypto::name_covered({"*"}, "localhost"));
    }
    SUBCASE("\"*.com\" is not a wildcard: two labels must follow the \"*\"") {
        CHECK_FALSE(crypto::name_covered({"*.com"}, "a.com"));
    }
    SUBCASE("a wildcard matches no empty label") {
        CHECK_FALSE(crypto::name_covered({"*.a.com"}, ".a.com"));
    }
    SUBCASE("a wildcard hostname is covered only by the same wildcard") {
        CHECK(crypto::name_covered({"*.a.com"}, "*.a.com"));
        CHECK_FALSE(crypto::name_covered({"x.a.com"}, "*.a.com"));
    }
    SUBCASE("nothing covers an empty hostname; an empty list covers nothing") {
        CHECK_FALSE(crypto::name_covered({"a.com"}, ""));
        CHECK_FALSE(crypto::name_covered({}, "a.com"));
        CHECK_FALSE(crypto::name_covered({""}, ""));
    }
}

TEST_CASE("parse_certificates") {
    SUBCASE("every field of a test CA leaf, cross-checked with the openssl command line") {
        auto certs = crypto::parse_certificates(good_chain());
        REQUIRE(certs.size() == 2);
        const auto& leaf = certs[0];
        const std::string leaf_pem = pem_blocks(good_chain()).at(0);
        CHECK(leaf.pem == leaf_pem);
        CHECK(certs[1].pem == test_ca().intermediate_certificate_pem);
        CHECK(leaf.subject_common_name == "shop.example.com");
        CHECK(leaf.issuer == certs[1].subject_common_name);
        CHECK(leaf.signature == "ECDSAWithSHA256");
        CHECK(leaf.not_before == kNow - day);
        CHECK(leaf.not_after == kNow + 90 * day);
        CHECK(certificate_openssl_x509(leaf_pem, "-noout -startdate") == "notBefore=Dec 31 00:00:00 2025 GMT\n");
        CHECK(certificate_openssl_x509(leaf_pem, "-noout -enddate") == "notAfter=Apr  1 00:00:00 2026 GMT\n");
        CHECK(leaf.dns_names == kCertificateSans);
        CHECK(leaf.public_key_pem == crypto::public_key_of_private_key(p256_key()));

        auto serial = certificate_openssl_x509(leaf_pem, "-noout -serial");  // "serial=HEX\n"
        CHECK(leaf.serial_number == hex_to_decimal(serial.substr(7, serial.size() - 8)));

        auto fingerprint = certificate_openssl_x509(leaf_pem, "-noout -fingerprint -sha256");  // "sha256 Fingerprint=AB:..\n"
        std::string expected;
        for (char c : fingerprint.substr(fingerprint.find('=') + 1))
            if (std::isxdigit(static_cast<unsigned char>(c))) expected += static_cast<char>(std::tolower(c));
        CHECK(expected.size() == 64);
        CHECK(leaf.fingerprint_sha256 == expected);
    }
    SUBCASE("hex_to_decimal (the helper above) is right") {
        CHECK(hex_to_decimal("FF") == "255");
        CHECK(hex_to_decimal("0100") == "256");
        CHECK(hex_to_decimal("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF") == "170141183460469231731687303715884105727");
    }
    SUBCASE("signature names: SHA256WithRSA, SHA1WithRSA, ECDSAWithSHA256, else OpenSSL's long name") {
        auto name_of = [](const std::string& key, const char* digest) {
            return crypto::parse_certificates(
                       crypto::create_self_signed(key, {"sig.example.com"}, {kNow, kNow + day, digest}))
                .at(0)
                .signature;
        };
        CHECK(name_of(rsa_key(), "sha256") == "SHA256WithRSA");
        CHECK(name_of(rsa_key(), "sha1") == "SHA1WithRSA");
        CHECK(name_of(rsa_key(), "sha384") == "sha384WithRSAEncryption");
        CHECK(name_of(p256_key(), "sha256") == "ECDSAWithSHA256");
        CHECK(name_of(p256_key(), "sha384") == "ecdsa-with-SHA384");
        CHECK(name_of(p256_key(), "sha1") == "ecdsa-with-SHA1");
    }
    SUBCASE("no SAN extension: the subject CN is the only DNS name") {
        auto certs = crypto::parse_certificates(openssl_self_signed("/CN=nosan.example.com"));
        CHECK(certs.at(0).dns_names == std::vector<std::string>{"nosan.example.com"});
    }
    SUBCASE("a SAN extension without DNS names: no DNS names, the CN is not used") {
        auto certs = crypto::parse_certificates(
            openssl_self_signed("/CN=ip.example.com", "-addext subjectAltName=IP:192.0.2.1"));
        CHECK(certs.at(0).dns_names.empty());
    }
    SUBCASE("issuer: O when present, else CN; subject CN may be empty") {
        auto with_o = crypto::parse_certificates(openssl_self_signed("/O=DigiCert Inc/CN=DigiCert Test Root"));
        CHECK(with_o.at(0).issuer == "DigiCert Inc");
        auto without_cn = crypto::parse_certificates(openssl_self_signed("/O=Only Org"));
        CHECK(without_cn.at(0).subject_common_name.empty());
        CHECK(without_cn.at(0).dns_names.empty());
    }
    SUBCASE("other PEM blocks and text around certificates are skipped") {
        auto certs = crypto::parse_certificates("leading text\n" + p256_key() + good_chain() + "trailing text\n");
        CHECK(certs.size() == 2);
    }
    SUBCASE("throws for garbage, empty text, or one broken block after a good one") {
        CHECK_THROWS_AS(crypto::parse_certificates("garbage"), crypto::Error);
        CHECK_THROWS_AS(crypto::parse_certificates(""), crypto::Error);
        CHECK_THROWS_AS(crypto::parse_certificates(good_chain() + "-----BEGIN CERTIFICATE-----\nnotbase64\n"
                                                                  "-----END CERTIFICATE-----\n"),
                        crypto::Error);
    }
}

TEST_CASE("TrustStore") {
    SUBCASE("add_bundle_file(\"/etc/ssl/certs/ca-certificates.crt\") adds every certificate") {
        const std::string path = "/etc/ssl/certs/ca-certificates.crt";
        std::ifstream in(path);
        REQUIRE_MESSAGE(in.good(), "install ca-certificates");
        std::stringstream text;
        text << in.rdbuf();
        const auto blocks = count(text.str(), "-----BEGIN CERTIFICATE-----");
        REQUIRE(blocks > 50);
        crypto::TrustStore store;
        CHECK(store.add_bundle_file(path) == blocks);
        CHECK(store.size() == blocks);
        CHECK(store.add_bundle_file(path) == 0);  // already there
        CHECK(store.size() == blocks);
    }
    SUBCASE("add_pem counts new certificates; a duplicate is not added twice") {
        crypto::TrustStore store;
        CHECK(store.size() == 0);
        CHECK(store.add_pem(test_ca().root_certificate_pem) == 1);
        CHECK(store.add_pem(test_ca().root_certificate_pem) == 0);
        CHECK(store.add_pem(other_ca().root_certificate_pem + other_ca().intermediate_certificate_pem) == 2);
        CHECK(store.size() == 3);
    }
    SUBCASE("throws for a missing file, a file without certificates, garbage; nothing is added") {
        crypto::TrustStore store;
        CHECK_THROWS_AS(store.add_bundle_file("/nonexistent/bundle.pem"), crypto::Error);
        TempFile no_certs(p256_key());
        CHECK_THROWS_AS(store.add_bundle_file(no_certs.path()), crypto::Error);
        CHECK_THROWS_AS(store.add_pem("garbage"), crypto::Error);
        CHECK_THROWS_AS(store.add_pem(test_ca().root_certificate_pem + "-----BEGIN CERTIFICATE-----\nnotbase64\n"
                                                                       "-----END CERTIFICATE-----\n"),
                        crypto::Error);
        CHECK(store.size() == 0);
    }
    SUBCASE("movable: the moved-to store trusts what the original trusted") {
        crypto::TrustStore original;
        original.add_pem(test_ca().root_certificate_pem);
        crypto::TrustStore moved(std::move(original));
        CHECK(moved.size() == 1);
        CHECK(verdict_of(good_chain(), moved).problem == CertificateProblem::none);
        crypto::TrustStore assigned;
        assigned = std::move(moved);
        CHECK(verdict_of(good_chain(), assigned).problem == CertificateProblem::none);
    }
}

TEST_CASE("check_certificate") {
    SUBCASE("ok: test CA chain, root in the TrustStore, key and hostnames match") {
        auto verdict = verdict_of(good_chain());
        CHECK(verdict.problem == CertificateProblem::none);
        CHECK(verdict.detail.empty());
        REQUIRE(verdict.leaf);
        CHECK(verdict.leaf->subject_common_name == "shop.example.com");
        CHECK(verdict.leaf->pem == pem_blocks(good_chain()).at(0));
        REQUIRE(verdict.chain.size() == 2);
        CHECK(verdict.chain[0].pem == verdict.leaf->pem);
        CHECK(verdict.chain[1].pem == test_ca().intermediate_certificate_pem);
    }
    SUBCASE("ok: the SAN \"*.shop.example.com\" covers a wildcard-matched hostname") {
        auto check = check_of(good_chain());
        check.hostnames = {"shop.example.com", "eu.shop.example.com", "*.shop.example.com"};
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::none);
    }
    SUBCASE("ok: bundle in any order, root included; chain comes back leaf first") {
        auto blocks = pem_blocks(good_chain());
        auto verdict = verdict_of(test_ca().root_certificate_pem + blocks[1] + blocks[0]);
        CHECK(verdict.problem == CertificateProblem::none);
        REQUIRE(verdict.chain.size() == 3);
        CHECK(verdict.chain[0].pem == blocks[0]);
        CHECK(verdict.chain[1].pem == blocks[1]);
        CHECK(verdict.chain[2].pem == test_ca().root_certificate_pem);
    }
    SUBCASE("ok: no expected key and no hostnames means neither is checked") {
        auto check = check_of(good_chain());
        check.expected_public_key_pem.reset();
        check.hostnames.clear();
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::none);
    }
    SUBCASE("validity as OpenSSL verifies it: notBefore <= now < notAfter") {
        auto chain = chain_for(test_ca(), {kNow, kNow + 90 * day, "sha256"});
        auto check = check_of(chain);
        check.now = kNow;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::none);
        check.now = kNow + 90 * day - 1;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::none);
        check.now = kNow + 90 * day;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::expired);
        check.now = kNow - 1;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::not_yet_valid);
    }

    SUBCASE("empty: no text / only whitespace") {
        CHECK(verdict_of("").problem == CertificateProblem::empty);
        auto verdict = verdict_of(" \n\t\r\n");
        CHECK(verdict.problem == CertificateProblem::empty);
        CHECK_FALSE(verdict.leaf);
    }
    SUBCASE("unparsable: text present but no certificate parses") {
        auto verdict = verdict_of("-----BEGIN CERTIFICATE-----\nnotbase64\n-----END CERTIFICATE-----");
        CHECK(verdict.problem == CertificateProblem::unparsable);
        CHECK(verdict.detail.rfind("certificate 1 cannot be parsed: error:", 0) == 0);
        CHECK(verdict_of("hello").problem == CertificateProblem::unparsable);
        CHECK(verdict_of(p256_key()).problem == CertificateProblem::unparsable);
    }
    SUBCASE("unparsable: an \"encrypted\" certificate block fails without a password prompt") {
        auto block = pem_blocks(good_chain()).at(0);
        block.insert(block.find('\n') + 1,
                     "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n");
        CHECK(verdict_of(block).problem == CertificateProblem::unparsable);
    }
    SUBCASE("unparsable: garbage inside the second PEM block") {
        auto blocks = pem_blocks(good_chain());
        std::string broken = blocks[1];
        broken.insert(broken.find('\n') + 1, "garbage!\n");
        auto verdict = verdict_of(blocks[0] + broken);
        CHECK(verdict.problem == CertificateProblem::unparsable);
        CHECK(verdict.detail.rfind("certificate 2 cannot be parsed", 0) == 0);
    }
    SUBCASE("no_leaf: only CA certificates") {
        auto verdict = verdict_of(test_ca().root_certificate_pem + test_ca().intermediate_certificate_pem);
        CHECK(verdict.problem == CertificateProblem::no_leaf);
        CHECK_FALSE(verdict.leaf);
        CHECK(verdict.chain.size() == 2);
    }
    SUBCASE("no_leaf: `openssl req -x509` marks its certificate CA:TRUE, so alone it is no leaf") {
        TempFile key(p256_key());
        auto cert = run("openssl req -x509 -key " + key.path() + " -subj /CN=shop.example.com -days 30");
        REQUIRE(cert.exit_code == 0);
        CHECK(verdict_of(cert.output).problem == CertificateProblem::no_leaf);
    }
    SUBCASE("multiple_leaves: two leaf PEMs concatenated + intermediate") {
        auto second = pem_blocks(chain_for(test_ca(), certificate_ninety_days(), {"other.example.com"})).at(0);
        auto verdict = verdict_of(pem_blocks(good_chain()).at(0) + second + test_ca().intermediate_certificate_pem);
        CHECK(verdict.problem == CertificateProblem::multiple_leaves);
        CHECK(verdict.detail == "2 leaf certificates: \"shop.example.com\" \"shop.example.com\"");
        CHECK_FALSE(verdict.leaf);
        CHECK(verdict.chain.size() == 3);
    }
    SUBCASE("unsupported_signature: SHA-384 signed leaf") {
        auto options = certificate_ninety_days();
        options.digest = "sha384";
        auto verdict = verdict_of(chain_for(test_ca(), options));
        CHECK(verdict.problem == CertificateProblem::unsupported_signature);
        CHECK(verdict.detail == "ecdsa-with-SHA384");
        REQUIRE(verdict.leaf);
        CHECK(verdict.leaf->signature == "ecdsa-with-SHA384");
    }
    SUBCASE("expired: not_after in the past") {
        auto verdict = verdict_of(chain_for(test_ca(), {kNow - 30 * day, kNow - day, "sha256"}));
        CHECK(verdict.problem == CertificateProblem::expired);
        REQUIRE(verdict.leaf);  // the time is the leaf's; api/ writes it as text (describe_validity)
        CHECK(verdict.leaf->not_after == kNow - day);
        auto check = check_of(good_chain());
        check.now = kNow + 90 * day;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::expired);
    }
    SUBCASE("not_yet_valid: not_before in the future") {
        auto verdict = verdict_of(chain_for(test_ca(), {kNow + day, kNow + 90 * day, "sha256"}));
        CHECK(verdict.problem == CertificateProblem::not_yet_valid);
        REQUIRE(verdict.leaf);
        CHECK(verdict.leaf->not_before == kNow + day);
        auto check = check_of(good_chain());
        check.now = kNow - day - 1;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::not_yet_valid);
    }
    SUBCASE("untrusted: self-signed leaf") {
        auto verdict = verdict_of(crypto::create_self_signed(p256_key(), kCertificateSans, certificate_ninety_days()));
        CHECK(verdict.problem == CertificateProblem::untrusted);
        CHECK(verdict.detail == "self-signed certificate (depth 0, CN=shop.example.com)");
        REQUIRE(verdict.leaf);
    }
    SUBCASE("untrusted: signed by another create_emulator_ca() root not in the store") {
        auto verdict = verdict_of(chain_for(other_ca(), certificate_ninety_days()));
        CHECK(verdict.problem == CertificateProblem::untrusted);
        auto other_intermediate = crypto::parse_certificates(other_ca().intermediate_certificate_pem).at(0);
        CHECK(verdict.detail ==
              "unable to get local issuer certificate (depth 1, CN=" + other_intermediate.subject_common_name + ")");
    }
    SUBCASE("untrusted: the intermediate missing from the bundle") {
        auto verdict = verdict_of(pem_blocks(good_chain()).at(0));
        CHECK(verdict.problem == CertificateProblem::untrusted);
        CHECK(verdict.detail == "unable to get local issuer certificate (depth 0, CN=shop.example.com)");
    }
    SUBCASE("untrusted: the system bundle does not know the test root; an empty store trusts nothing") {
        crypto::TrustStore system;
        system.add_bundle_file("/etc/ssl/certs/ca-certificates.crt");
        CHECK(verdict_of(good_chain(), system).problem == CertificateProblem::untrusted);
        crypto::TrustStore empty;
        CHECK(verdict_of(good_chain(), empty).problem == CertificateProblem::untrusted);
    }
    SUBCASE("untrusted: an expired intermediate (checked at `now`)") {
        // The leaf is valid at kNow + 11 years only if the intermediate (10 years) were too.
        auto chain = chain_for(test_ca(), {kNow, kNow + 12 * 365 * day, "sha256"});
        auto check = check_of(chain);
        check.now = kNow + 11 * 365 * day;
        auto verdict = crypto::check_certificate(check, test_store());
        CHECK(verdict.problem == CertificateProblem::untrusted);
        CHECK(verdict.detail.rfind("certificate has expired (depth 1, ", 0) == 0);
    }
    SUBCASE("skip_trust (bundle_method force) lets the unknown-root chain and a self-signed leaf pass") {
        auto other = chain_for(other_ca(), certificate_ninety_days());
        auto check = check_of(other);
        check.skip_trust = true;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::none);
        auto self_signed = crypto::create_self_signed(p256_key(), kCertificateSans, certificate_ninety_days());
        check.chain_pem = self_signed;
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::none);
    }
    SUBCASE("key_mismatch: certificate for a CSR from another key") {
        auto chain = chain_for(test_ca(), certificate_ninety_days(), kCertificateSans, other_p256_key());
        auto verdict = verdict_of(chain);
        CHECK(verdict.problem == CertificateProblem::key_mismatch);
        CHECK(verdict.detail == "the certificate's public key is not the expected key");
        auto check = check_of(good_chain());
        check.expected_public_key_pem = crypto::public_key_of_private_key(rsa_key());
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::key_mismatch);
        check.expected_public_key_pem = "not a key";
        CHECK(crypto::check_certificate(check, test_store()).problem == CertificateProblem::key_mismatch);
    }
    SUBCASE("hostname_not_covered: detail names the hostname") {
        auto check = check_of(good_chain());
        check.hostnames = {"shop.example.com", "x.y.shop.example.com"};
        auto verdict = crypto::check_certificate(check, test_store());
        CHECK(verdict.problem == CertificateProblem::hostname_not_covered);
        CHECK(verdict.detail == "x.y.shop.example.com");
        check.hostnames = {"example.com"};
        CHECK(crypto::check_certificate(check, test_store()).detail == "example.com");
    }
    SUBCASE("order: the first problem in the documented order wins") {
        // Each chain has every later problem too; only the earliest one is reported.
        auto chain = chain_for(other_ca(), {kNow - 30 * day, kNow - day, "sha384"}, {"else.example.org"},
                               other_p256_key());
        CHECK(verdict_of(chain).problem == CertificateProblem::unsupported_signature);
        chain = chain_for(other_ca(), {kNow - 30 * day, kNow - day, "sha256"}, {"else.example.org"},
                          other_p256_key());
        CHECK(verdict_of(chain).problem == CertificateProblem::expired);
        chain = chain_for(other_ca(), certificate_ninety_days(), {"else.example.org"}, other_p256_key());
        CHECK(verdict_of(chain).problem == CertificateProblem::untrusted);
        chain = chain_for(test_ca(), certificate_ninety_days(), {"else.example.org"}, other_p256_key());
        CHECK(verdict_of(chain).problem == CertificateProblem::key_mismatch);
    }
}

namespace {

// A private key the emulator would never make, from the openssl command line.
std::string openssl_key(const std::string& options) {
    auto result = run("openssl genpkey " + options);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    return result.output;
}

crypto::CertificateCheck upload_rules(std::string_view chain, const std::string& key) {
    crypto::CertificateCheck check = check_of(chain);
    check.expected_public_key_pem = crypto::public_key_of_private_key(key);
    check.min_rsa_bits = 2048;
    check.min_ec_bits = 225;
    check.min_remaining_seconds = 14 * day;
    return check;
}

// The upload rules' verdict on `chain` with `key`, which must be weak_key.
crypto::CertificateVerdict weak_key_verdict(std::string_view chain, const std::string& key) {
    auto verdict = crypto::check_certificate(upload_rules(chain, key), test_store());
    CHECK(verdict.problem == CertificateProblem::weak_key);
    return verdict;
}

}  // namespace

TEST_CASE("check_certificate: key size and remaining validity, when the caller asks") {
    SUBCASE("the leaf's key type and size are reported") {
        CHECK(verdict_of(good_chain()).leaf->public_key_type == "EC");
        CHECK(verdict_of(good_chain()).leaf->public_key_bits == 256);
        auto rsa = chain_for(test_ca(), certificate_ninety_days(), kCertificateSans, rsa_key());
        CHECK(crypto::parse_certificates(rsa).at(0).public_key_type == "RSA");
        CHECK(crypto::parse_certificates(rsa).at(0).public_key_bits == 2048);
    }
    SUBCASE("weak_key: RSA under 2048 bits") {
        std::string key = openssl_key("-algorithm RSA -pkeyopt rsa_keygen_bits:1024");
        auto chain = chain_for(test_ca(), certificate_ninety_days(), kCertificateSans, key);
        auto verdict = weak_key_verdict(chain, key);
        CHECK(verdict.detail == "RSA key of 1024 bits, under the 2048 required");
        // Without the rule the same certificate passes.
        auto off = upload_rules(chain, key);
        off.min_rsa_bits = 0;
        CHECK(crypto::check_certificate(off, test_store()).problem == CertificateProblem::none);
    }
    SUBCASE("weak_key: EC under 225 bits (P-224), while P-256 and RSA-2048 pass") {
        std::string key = openssl_key("-algorithm EC -pkeyopt ec_paramgen_curve:P-224");
        auto verdict = weak_key_verdict(chain_for(test_ca(), certificate_ninety_days(), kCertificateSans, key), key);
        CHECK(verdict.detail == "EC key of 224 bits, under the 225 required");
        CHECK(crypto::check_certificate(upload_rules(good_chain(), p256_key()), test_store()).problem ==
              CertificateProblem::none);
        auto rsa = chain_for(test_ca(), certificate_ninety_days(), kCertificateSans, rsa_key());
        CHECK(crypto::check_certificate(upload_rules(rsa, rsa_key()), test_store()).problem == CertificateProblem::none);
    }
    SUBCASE("expires_soon: 14 days left is too few; 14 days and a second is enough") {
        auto soon = chain_for(test_ca(), {kNow - day, kNow + 14 * day, "sha256"});
        auto verdict = crypto::check_certificate(upload_rules(soon, p256_key()), test_store());
        CHECK(verdict.problem == CertificateProblem::expires_soon);
        REQUIRE(verdict.leaf);
        CHECK(verdict.leaf->not_after == kNow + 14 * day);
        auto enough = chain_for(test_ca(), {kNow - day, kNow + 14 * day + 1, "sha256"});
        CHECK(crypto::check_certificate(upload_rules(enough, p256_key()), test_store()).problem == CertificateProblem::none);
    }
    SUBCASE("an expired certificate is still reported as expired, not as expiring soon") {
        auto past = chain_for(test_ca(), {kNow - 100 * day, kNow - day, "sha256"});
        CHECK(crypto::check_certificate(upload_rules(past, p256_key()), test_store()).problem == CertificateProblem::expired);
    }
}
