#include <doctest/doctest.h>

#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "fixtures.hpp"

using namespace test_support;
using crypto::KeyType;

namespace {

std::string openssl_pkey(const std::string& pem, const std::string& args) {
    TempFile file(pem);
    auto result = run("openssl pkey -in " + file.path() + " " + args);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    return result.output;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Nested SUBCASEs, entered once per key type.
void check_public_key_of(const std::string& key) {
    SUBCASE("SPKI PEM identical to `openssl pkey -pubout`") {
        auto spki = crypto::public_key_of_private_key(key);
        CHECK(starts_with(spki, "-----BEGIN PUBLIC KEY-----\n"));
        CHECK(ends_with(spki, "-----END PUBLIC KEY-----\n"));
        CHECK(spki == openssl_pkey(key, "-pubout"));
    }
    SUBCASE("traditional \"RSA PRIVATE KEY\" / \"EC PRIVATE KEY\" PEM gives the same public key") {
        auto traditional = openssl_pkey(key, "-traditional");
        CHECK((starts_with(traditional, "-----BEGIN RSA PRIVATE KEY-----\n") ||
               starts_with(traditional, "-----BEGIN EC PRIVATE KEY-----\n")));
        CHECK(crypto::public_key_of_private_key(traditional) == crypto::public_key_of_private_key(key));
        CHECK(crypto::key_type_of_private_key(traditional) == crypto::key_type_of_private_key(key));
    }
    SUBCASE("an encrypted key is refused without a password prompt") {
        auto encrypted = openssl_pkey(key, "-aes256 -passout pass:secret");
        REQUIRE(starts_with(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        CHECK_THROWS_AS(crypto::public_key_of_private_key(encrypted), crypto::Error);
        CHECK_THROWS_AS(crypto::key_type_of_private_key(encrypted), crypto::Error);
        auto traditional = openssl_pkey(key, "-traditional -aes256 -passout pass:secret");
        REQUIRE(traditional.find("Proc-Type: 4,ENCRYPTED") != std::string::npos);
        CHECK_THROWS_AS(crypto::public_key_of_private_key(traditional), crypto::Error);
    }
}

// openssl's description of `key`, after checking it is one unencrypted PKCS#8 PEM block.
std::string unencrypted_pkcs8_text(const std::string& key) {
    CHECK(starts_with(key, "-----BEGIN PRIVATE KEY-----\n"));
    CHECK(ends_with(key, "-----END PRIVATE KEY-----\n"));
    return openssl_pkey(key, "-noout -text");
}

}  // namespace

TEST_CASE("generate_private_key") {
    SUBCASE("RSA-2048: unencrypted PKCS#8 PEM, 2048 bits, e=65537") {
        const std::string& key = rsa_key();
        auto text = unencrypted_pkcs8_text(key);
        CHECK(text.find("Private-Key: (2048 bit, 2 primes)") != std::string::npos);
        CHECK(text.find("publicExponent: 65537 (0x10001)") != std::string::npos);
        CHECK(crypto::key_type_of_private_key(key) == KeyType::rsa2048);
    }
    SUBCASE("P-256: unencrypted PKCS#8 PEM on prime256v1") {
        const std::string& key = p256_key();
        auto text = unencrypted_pkcs8_text(key);
        CHECK(text.find("Private-Key: (256 bit)") != std::string::npos);
        CHECK(text.find("ASN1 OID: prime256v1") != std::string::npos);
        CHECK(text.find("NIST CURVE: P-256") != std::string::npos);
        CHECK(crypto::key_type_of_private_key(key) == KeyType::p256v1);
    }
    SUBCASE("P-256: byte for byte the PKCS#8 OpenSSL writes (`openssl pkey` writes it again)") {
        // The key's DER is written without OpenSSL's encoder; a private scalar with leading zero
        // bytes (1 in 256 keys) must still be 32 bytes, so several keys are compared.
        for (int i = 0; i < 8; ++i) {
            auto key = crypto::generate_private_key(KeyType::p256v1);
            CHECK(key == openssl_pkey(key, ""));
        }
    }
    SUBCASE("every call makes a new key") {
        CHECK(p256_key() != other_p256_key());
        CHECK(crypto::generate_private_key(KeyType::p256v1) != p256_key());
    }
}

TEST_CASE("public_key_of_private_key") {
    SUBCASE("RSA-2048") { check_public_key_of(rsa_key()); }
    SUBCASE("P-256") { check_public_key_of(p256_key()); }
    SUBCASE("the public keys of two keys differ") {
        CHECK(crypto::public_key_of_private_key(p256_key()) != crypto::public_key_of_private_key(other_p256_key()));
    }
    SUBCASE("garbage, empty text and a public key are not private keys") {
        CHECK_THROWS_AS(crypto::public_key_of_private_key("garbage"), crypto::Error);
        CHECK_THROWS_AS(crypto::public_key_of_private_key(""), crypto::Error);
        CHECK_THROWS_AS(crypto::public_key_of_private_key(crypto::public_key_of_private_key(p256_key())),
                        crypto::Error);
    }
    SUBCASE("the error carries OpenSSL's text") {
        try {
            crypto::public_key_of_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
            FAIL("no exception");
        } catch (const crypto::Error& e) {
            std::string what = e.what();
            CHECK_MESSAGE(starts_with(what, "cannot parse private key: error:"), what);
        }
    }
}

TEST_CASE("key_type_of_private_key") {
    SUBCASE("RSA-2048 and P-256 are recognised") {
        CHECK(crypto::key_type_of_private_key(rsa_key()) == KeyType::rsa2048);
        CHECK(crypto::key_type_of_private_key(p256_key()) == KeyType::p256v1);
    }
    SUBCASE("RSA-1024, P-384 and Ed25519 are nullopt") {
        auto rsa1024 = run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024");
        REQUIRE(rsa1024.exit_code == 0);
        CHECK(crypto::key_type_of_private_key(rsa1024.output) == std::nullopt);
        auto p384 = run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384");
        REQUIRE(p384.exit_code == 0);
        CHECK(crypto::key_type_of_private_key(p384.output) == std::nullopt);
        auto ed25519 = run("openssl genpkey -algorithm ED25519");
        REQUIRE(ed25519.exit_code == 0);
        CHECK(crypto::key_type_of_private_key(ed25519.output) == std::nullopt);
        // Still a usable private key: its public key comes out.
        CHECK(starts_with(crypto::public_key_of_private_key(ed25519.output), "-----BEGIN PUBLIC KEY-----\n"));
    }
    SUBCASE("garbage throws") {
        CHECK_THROWS_AS(crypto::key_type_of_private_key("not a key"), crypto::Error);
    }
}
