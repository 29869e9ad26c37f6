#include <doctest/doctest.h>

#include <string>

#include "crypto/error.hpp"
#include "crypto/key_cipher.hpp"
#include "crypto/keys.hpp"

using crypto::KeyCipher;

namespace {
const std::string hex_key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string base64_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // the same 32 bytes
}  // namespace

TEST_CASE("a sealed private key opens with the same key and associated data, and holds no PEM") {
    auto kek = KeyCipher::from_text(hex_key);
    std::string pem = crypto::generate_private_key(crypto::KeyType::p256v1);
    std::string sealed = kek.seal(pem, "custom_csrs.private_key_pem:id-1");
    CHECK(sealed.starts_with("enc:v1:"));
    CHECK(sealed.find("PRIVATE KEY") == std::string::npos);
    CHECK(kek.open(sealed, "custom_csrs.private_key_pem:id-1") == pem);
    // The same key as base64 (with a trailing newline, as in a key file) opens it too.
    CHECK(KeyCipher::from_text(base64_key + "\n").open(sealed, "custom_csrs.private_key_pem:id-1") == pem);
    // A fresh nonce each time: the same plaintext never seals to the same text.
    CHECK(kek.seal(pem, "a") != kek.seal(pem, "a"));
}

TEST_CASE("a tampered, mislabelled or wrongly keyed value is refused") {
    auto kek = KeyCipher::from_text(hex_key);
    std::string sealed = kek.seal("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n", "t.c:1");
    SUBCASE("one altered ciphertext character") {
        std::string tampered = sealed;
        char& c = tampered[tampered.size() - 6];
        c = c == 'A' ? 'B' : 'A';
        CHECK_THROWS_AS(kek.open(tampered, "t.c:1"), crypto::Error);
    }
    SUBCASE("another row's associated data") { CHECK_THROWS_AS(kek.open(sealed, "t.c:2"), crypto::Error); }
    SUBCASE("another key") {
        auto other = KeyCipher::from_text(std::string(64, 'f'));
        CHECK_THROWS_AS(other.open(sealed, "t.c:1"), crypto::Error);
    }
    SUBCASE("truncated or not sealed at all") {
        CHECK_THROWS_AS(kek.open("enc:v1:AAAA", "t.c:1"), crypto::Error);
        CHECK_THROWS_AS(kek.open("-----BEGIN PRIVATE KEY-----", "t.c:1"), crypto::Error);
    }
}

TEST_CASE("a key-encryption key must be 32 bytes as hex or base64") {
    CHECK_THROWS_AS(KeyCipher::from_text(""), crypto::Error);
    CHECK_THROWS_AS(KeyCipher::from_text(std::string(62, 'a')), crypto::Error);
    CHECK_THROWS_AS(KeyCipher::from_text(std::string(64, 'g')), crypto::Error);
    CHECK_THROWS_AS(KeyCipher::from_text("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg=="), crypto::Error);  // 31
    CHECK_NOTHROW(KeyCipher::from_text(std::string(64, 'A')));
}
