// P-256 keys' DER written directly (see crypto/detail/p256_encoding.hpp).
#include "crypto/detail/p256_encoding.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <array>
#include <cstring>

namespace crypto::detail {
namespace {

constexpr std::size_t scalar_size = 32;
constexpr std::size_t point_size = 65;  // 0x04, X, Y

// The uncompressed public point.
std::array<unsigned char, point_size> public_point(EVP_PKEY* key) {
    std::array<unsigned char, point_size> point{};
    std::size_t size = 0;
    check(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &size) == 1 &&
              size == point_size && point[0] == 0x04,
          "cannot read the P-256 public key");
    return point;
}

// PrivateKeyInfo { 0, { id-ecPublicKey, prime256v1 }, OCTET STRING ECPrivateKey { 1, OCTET
// STRING d, [1] BIT STRING point } }: fixed lengths, so the header bytes are constants.
constexpr unsigned char pkcs8_head[] = {
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00,                                                  // PrivateKeyInfo, version 0
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,                    // id-ecPublicKey
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,                          // prime256v1
    0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20};                               // ECPrivateKey, d follows
constexpr unsigned char pkcs8_before_point[] = {0xa1, 0x44, 0x03, 0x42, 0x00};           // [1] BIT STRING
constexpr std::size_t pkcs8_size = sizeof pkcs8_head + scalar_size + sizeof pkcs8_before_point + point_size;
static_assert(pkcs8_size == 138);

}  // namespace

std::string p256_private_key_pem(EVP_PKEY* key) {
    clear_errors();
    std::array<unsigned char, pkcs8_size> der{};
    unsigned char* at = der.data();
    std::memcpy(at, pkcs8_head, sizeof pkcs8_head);
    at += sizeof pkcs8_head;
    BIGNUM* raw = nullptr;
    check(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &raw) == 1, "cannot read the P-256 private key");
    std::unique_ptr<BIGNUM, Free<BN_clear_free>> scalar(raw);
    check(BN_bn2binpad(scalar.get(), at, scalar_size) == static_cast<int>(scalar_size), "P-256 private key too long");
    at += scalar_size;
    std::memcpy(at, pkcs8_before_point, sizeof pkcs8_before_point);
    at += sizeof pkcs8_before_point;
    auto point = public_point(key);
    std::memcpy(at, point.data(), point.size());

    auto bio = write_bio();
    bool ok = PEM_write_bio(bio.get(), "PRIVATE KEY", "", der.data(), static_cast<long>(der.size())) > 0;
    OPENSSL_cleanse(der.data(), der.size());
    check(ok, "cannot encode private key");
    return bio_contents(bio.get());
}

void set_p256_public_key(X509_PUBKEY* spki, EVP_PKEY* key) {
    clear_errors();
    auto point = public_point(key);
    auto* bits = static_cast<unsigned char*>(OPENSSL_memdup(point.data(), point.size()));
    check(bits != nullptr, "OPENSSL_memdup");
    // On success the SPKI owns `bits`; the OIDs are OpenSSL's static objects.
    if (X509_PUBKEY_set0_param(spki, OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_OBJECT,
                               OBJ_nid2obj(NID_X9_62_prime256v1), bits, static_cast<int>(point.size())) != 1) {
        OPENSSL_free(bits);
        throw_error("X509_PUBKEY_set0_param");
    }
}

}  // namespace crypto::detail
