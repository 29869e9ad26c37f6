#include <doctest/doctest.h>

#include "crypto/csr.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "pem_text.hpp"
#include "fixtures.hpp"

using namespace test_support;

namespace {

crypto::CsrSubject subject_with_ou() {
    return {"US", "California", "San Francisco", "Example Inc", std::string("Ops"), "example.com"};
}
crypto::CsrSubject subject_without_ou() {
    return {"GB", "England", "London", "Example Ltd", std::nullopt, "shop.example.co.uk"};
}
const std::vector<std::string> kCsrSans{"example.com", "*.example.com", "www.example.com"};

CommandResult openssl_req(const std::string& csr, const std::string& args) {
    TempFile file(csr);
    return run("openssl req -in " + file.path() + " " + args);
}

// Nested SUBCASEs, entered once per key type.
void check_csr_for(const std::string& key, const std::string& signature_algorithm) {
    const std::string spki = crypto::public_key_of_private_key(key);

    SUBCASE("PEM framing: BEGIN/END CERTIFICATE REQUEST") {
        auto csr = crypto::create_csr(subject_with_ou(), kCsrSans, key);
        CHECK(csr.rfind("-----BEGIN CERTIFICATE REQUEST-----\n", 0) == 0);
        CHECK(csr.size() > 36);
        CHECK(csr.substr(csr.size() - 34) == "-----END CERTIFICATE REQUEST-----\n");
    }
    SUBCASE("inspect_csr returns the exact subject with OU, SANs in order, a valid signature and the key") {
        auto details = crypto::inspect_csr(crypto::create_csr(subject_with_ou(), kCsrSans, key));
        CHECK(details.subject == subject_with_ou());
        CHECK(details.subject.organizational_unit == std::optional<std::string>("Ops"));
        CHECK(details.dns_sans == kCsrSans);
        CHECK(details.signature_valid);
        CHECK(details.public_key_pem == spki);
        // What the web console shows of each CSR: the key and the signature algorithm.
        CHECK(details.signature_algorithm == signature_algorithm);
        CHECK(details.key_description == (signature_algorithm.starts_with("ecdsa") ? "EC prime256v1" : "RSA 2048"));
    }
    SUBCASE("inspect_csr returns the exact subject without OU: \"OU only when given\"") {
        auto csr = crypto::create_csr(subject_without_ou(), {"shop.example.co.uk"}, key);
        auto details = crypto::inspect_csr(csr);
        CHECK(details.subject == subject_without_ou());
        CHECK(details.subject.organizational_unit == std::nullopt);
        CHECK(details.dns_sans == std::vector<std::string>{"shop.example.co.uk"});
        CHECK(details.signature_valid);
        auto text = openssl_req(csr, "-noout -subject");
        CHECK(text.output == "subject=C = GB, ST = England, L = London, O = Example Ltd, CN = shop.example.co.uk\n");
    }
    SUBCASE("`openssl req -verify` accepts it; `-text` shows version 1, subject order, SANs in order, SHA-256") {
        auto csr = crypto::create_csr(subject_with_ou(), kCsrSans, key);
        auto verify = openssl_req(csr, "-noout -verify");
        CHECK_MESSAGE(verify.exit_code == 0, verify.output);
        // The exit code alone proves nothing: OpenSSL 3.0 exits 0 on a bad self-signature too.
        CHECK(verify.output == "Certificate request self-signature verify OK\n");
        auto text = openssl_req(csr, "-noout -text");
        REQUIRE(text.exit_code == 0);
        CHECK(text.output.find("Version: 1 (0x0)") != std::string::npos);
        CHECK(text.output.find(
                  "Subject: C = US, ST = California, L = San Francisco, O = Example Inc, OU = Ops, CN = example.com\n") !=
              std::string::npos);
        CHECK(text.output.find("X509v3 Subject Alternative Name: \n"
                               "                    DNS:example.com, DNS:*.example.com, DNS:www.example.com\n") !=
              std::string::npos);
        CHECK(text.output.find("Signature Algorithm: " + signature_algorithm) != std::string::npos);
    }
    SUBCASE("MBSTRING_UTF8: ST, L, O, OU, CN are UTF8String; C is the PrintableString OpenSSL requires") {
        auto csr = crypto::create_csr(subject_with_ou(), kCsrSans, key);
        TempFile file(csr);
        auto parsed = run("openssl asn1parse -in " + file.path());
        REQUIRE(parsed.exit_code == 0);
        CHECK(count(parsed.output, "prim: UTF8STRING") == 5);
        CHECK(parsed.output.find("PRINTABLESTRING   :US") != std::string::npos);
        CHECK(parsed.output.find("UTF8STRING        :example.com") != std::string::npos);
    }
    SUBCASE("non-ASCII subject text and DN special characters round-trip unchanged") {
        crypto::CsrSubject subject{"CH", "Zürich", "Zürich", "Bücher & Co., \"AG\"", std::string("R+D; Ops"),
                                   "bücher.example"};
        auto details = crypto::inspect_csr(crypto::create_csr(subject, {"xn--bcher-kva.example"}, key));
        CHECK(details.subject == subject);
        CHECK(details.dns_sans == std::vector<std::string>{"xn--bcher-kva.example"});
        CHECK(details.signature_valid);
    }
}

std::string with_byte_replaced(std::string der, std::string_view find, char replacement) {
    auto at = der.find(find);
    REQUIRE(at != std::string::npos);
    der[at] = replacement;
    return der;
}

}  // namespace

TEST_CASE("create_csr and inspect_csr") {
    SUBCASE("RSA-2048") { check_csr_for(rsa_key(), "sha256WithRSAEncryption"); }
    SUBCASE("P-256") { check_csr_for(p256_key(), "ecdsa-with-SHA256"); }

    SUBCASE("no SANs: no extension request at all (an empty GeneralNames is invalid)") {
        auto csr = crypto::create_csr(subject_with_ou(), {}, p256_key());
        auto details = crypto::inspect_csr(csr);
        CHECK(details.dns_sans.empty());
        CHECK(details.signature_valid);
        auto text = openssl_req(csr, "-noout -text");
        CHECK(text.output.find("Subject Alternative Name") == std::string::npos);
        TempFile file(csr);
        auto parsed = run("openssl asn1parse -in " + file.path());
        CHECK(parsed.output.find("l=   0 cons: cont [ 0 ]") != std::string::npos);  // empty attribute set
    }
    SUBCASE("two CSRs for the same input differ only where ECDSA randomness goes: same key, same subject") {
        auto a = crypto::inspect_csr(crypto::create_csr(subject_with_ou(), kCsrSans, p256_key()));
        auto b = crypto::inspect_csr(crypto::create_csr(subject_with_ou(), kCsrSans, other_p256_key()));
        CHECK(a.subject == b.subject);
        CHECK(a.public_key_pem != b.public_key_pem);
    }
}

TEST_CASE("create_csr refuses what OpenSSL refuses") {
    SUBCASE("country not two letters") {
        auto subject = subject_with_ou();
        subject.country = "USA";
        CHECK_THROWS_AS(crypto::create_csr(subject, kCsrSans, p256_key()), crypto::Error);
        subject.country = "";
        CHECK_THROWS_AS(crypto::create_csr(subject, kCsrSans, p256_key()), crypto::Error);
    }
    SUBCASE("common_name longer than 64 characters (X.520 upper bound)") {
        auto subject = subject_with_ou();
        subject.common_name = std::string(64, 'a');
        CHECK_NOTHROW(crypto::create_csr(subject, kCsrSans, p256_key()));
        subject.common_name = std::string(65, 'a');
        try {
            crypto::create_csr(subject, kCsrSans, p256_key());
            FAIL("no exception");
        } catch (const crypto::Error& e) {
            CHECK(std::string(e.what()).rfind("subject CN not accepted: error:", 0) == 0);
        }
    }
    SUBCASE("empty attribute") {
        auto subject = subject_with_ou();
        subject.state = "";
        CHECK_THROWS_AS(crypto::create_csr(subject, kCsrSans, p256_key()), crypto::Error);
    }
    SUBCASE("DNS names must be printable ASCII and non-empty") {
        CHECK_THROWS_AS(crypto::create_csr(subject_with_ou(), {"bücher.example"}, p256_key()), crypto::Error);
        CHECK_THROWS_AS(crypto::create_csr(subject_with_ou(), {"a b.example"}, p256_key()), crypto::Error);
        CHECK_THROWS_AS(crypto::create_csr(subject_with_ou(), {""}, p256_key()), crypto::Error);
    }
    SUBCASE("unparsable key") {
        CHECK_THROWS_AS(crypto::create_csr(subject_with_ou(), kCsrSans, "garbage"), crypto::Error);
    }
}

TEST_CASE("create_key_and_csr: a new key and the CSR create_csr makes for it") {
    auto made = crypto::create_key_and_csr(crypto::KeyType::p256v1, subject_with_ou(), kCsrSans);
    CHECK(made.private_key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
    CHECK(crypto::key_type_of_private_key(made.private_key_pem) == crypto::KeyType::p256v1);
    auto details = crypto::inspect_csr(made.csr_pem);
    CHECK(details.public_key_pem == crypto::public_key_of_private_key(made.private_key_pem));
    CHECK(details.subject == subject_with_ou());
    CHECK(details.dns_sans == kCsrSans);
    CHECK(details.signature_valid);
    CHECK(details.signature_algorithm == "ecdsa-with-SHA256");
    auto verify = openssl_req(made.csr_pem, "-noout -verify");
    CHECK(verify.output == "Certificate request self-signature verify OK\n");
    // The key and the CSR's public key are written without OpenSSL's encoders: the bytes must
    // be the ones OpenSSL writes.
    TempFile key_file(made.private_key_pem);
    CHECK(run("openssl pkey -in " + key_file.path()).output == made.private_key_pem);
    CHECK(openssl_req(made.csr_pem, "-noout -pubkey").output == run("openssl pkey -pubout -in " + key_file.path()).output);
    // Everything but the (randomised) ECDSA signature equals what create_csr makes for the key.
    auto unsigned_text = [](const std::string& csr) {
        auto text = openssl_req(csr, "-noout -text").output;
        auto signature = text.find("Signature Value:");
        REQUIRE(signature != std::string::npos);
        return text.substr(0, signature);
    };
    CHECK(unsigned_text(made.csr_pem) == unsigned_text(crypto::create_csr(subject_with_ou(), kCsrSans, made.private_key_pem)));

    SUBCASE("the key generation context is reused: every call still makes a new key") {
        auto again = crypto::create_key_and_csr(crypto::KeyType::p256v1, subject_with_ou(), kCsrSans);
        CHECK(again.private_key_pem != made.private_key_pem);
        CHECK(crypto::inspect_csr(again.csr_pem).public_key_pem != details.public_key_pem);
    }
    SUBCASE("RSA-2048") {
        auto rsa = crypto::create_key_and_csr(crypto::KeyType::rsa2048, subject_without_ou(), {"shop.example.co.uk"});
        CHECK(crypto::key_type_of_private_key(rsa.private_key_pem) == crypto::KeyType::rsa2048);
        auto rsa_details = crypto::inspect_csr(rsa.csr_pem);
        CHECK(rsa_details.key_description == "RSA 2048");
        CHECK(rsa_details.public_key_pem == crypto::public_key_of_private_key(rsa.private_key_pem));
        CHECK(rsa_details.signature_valid);
    }
    SUBCASE("refuses what create_csr refuses") {
        auto subject = subject_with_ou();
        subject.country = "USA";
        CHECK_THROWS_AS(crypto::create_key_and_csr(crypto::KeyType::p256v1, subject, kCsrSans), crypto::Error);
        CHECK_THROWS_AS(crypto::create_key_and_csr(crypto::KeyType::p256v1, subject_with_ou(), {"a b.example"}),
                        crypto::Error);
    }
}

TEST_CASE("inspect_csr on damaged input") {
    const std::string csr = crypto::create_csr(subject_with_ou(), kCsrSans, p256_key());

    SUBCASE("a flipped base64 character: signature_valid false, or Error") {
        // Every position of the body: none may pass as a valid signature.
        auto body_start = csr.find('\n') + 1;
        auto body_end = csr.find("-----END");
        int invalid = 0, thrown = 0;
        for (auto at = body_start; at < body_end; at += 7) {
            if (csr[at] == '\n' || csr[at] == '=') continue;
            std::string tampered = csr;
            tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
            try {
                auto details = crypto::inspect_csr(tampered);
                CHECK_FALSE(details.signature_valid);
                ++invalid;
            } catch (const crypto::Error&) {
                ++thrown;
            }
        }
        CHECK(invalid > 0);
        CHECK(thrown > 0);
    }
    SUBCASE("a changed subject byte under a valid DER structure: parses, signature_valid false") {
        auto tampered = pem_wrap("CERTIFICATE REQUEST", with_byte_replaced(pem_der(csr), "Example Inc", 'F'));
        auto details = crypto::inspect_csr(tampered);
        CHECK(details.subject.organization == "Fxample Inc");
        CHECK_FALSE(details.signature_valid);
        auto verify = openssl_req(tampered, "-noout -verify");
        CHECK(verify.output == "Certificate request self-signature verify failure\n");
    }
    SUBCASE("the untouched CSR re-wrapped by the test helper still verifies (the helper is sound)") {
        CHECK(crypto::inspect_csr(pem_wrap("CERTIFICATE REQUEST", pem_der(csr))).signature_valid);
    }
    SUBCASE("garbage, empty text and other PEM types throw") {
        CHECK_THROWS_AS(crypto::inspect_csr("garbage"), crypto::Error);
        CHECK_THROWS_AS(crypto::inspect_csr(""), crypto::Error);
        CHECK_THROWS_AS(crypto::inspect_csr(p256_key()), crypto::Error);
        CHECK_THROWS_AS(crypto::inspect_csr("-----BEGIN CERTIFICATE REQUEST-----\nnotbase64\n"
                                            "-----END CERTIFICATE REQUEST-----\n"),
                        crypto::Error);
    }
}
