#include "crypto/keys.hpp"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <array>
#include <cstring>

#include "crypto/detail/algorithms.hpp"
#include "crypto/detail/p256_encoding.hpp"
#include "crypto/detail/pem.hpp"
#include "crypto/detail/pkey.hpp"

namespace crypto {
namespace detail {

Pkey read_private_key(std::string_view pem) {
    return read_pem<Pkey>(pem, PEM_read_bio_PrivateKey, "cannot parse private key");
}

Pkey read_public_key(std::string_view pem) { return read_pem<Pkey>(pem, PEM_read_bio_PUBKEY, "cannot parse public key"); }

std::string private_key_pem(EVP_PKEY* key) {
    return write_pem(
        [&](BIO* bio) { return PEM_write_bio_PKCS8PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr); },
        "cannot encode private key");
}

std::string public_key_pem(EVP_PKEY* key) {
    return write_pem([&](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key); }, "cannot encode public key");
}

bool is_rsa(EVP_PKEY* key) { return EVP_PKEY_is_a(key, "RSA") == 1; }

std::optional<KeyType> key_type(EVP_PKEY* key) {
    if (is_rsa(key)) {
        if (EVP_PKEY_get_bits(key) == 2048) return KeyType::rsa2048;
        return std::nullopt;
    }
    if (EVP_PKEY_is_a(key, "EC") == 1) {
        std::array<char, 64> group{};
        std::size_t len = 0;
        if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &len) != 1) {
            clear_errors();  // e.g. explicit curve parameters: no named group, so not P-256 for us
            return std::nullopt;
        }
        // OpenSSL reports the SEC/X9.62 short name; accept the NIST alias as well.
        if (std::strcmp(group.data(), "prime256v1") == 0 || std::strcmp(group.data(), "P-256") == 0)
            return KeyType::p256v1;
    }
    return std::nullopt;
}

Md fetch_digest(std::string_view name) {
    const char* algorithm = nullptr;
    if (name == "sha256") algorithm = "SHA2-256";
    else if (name == "sha384") algorithm = "SHA2-384";
    else if (name == "sha1") algorithm = "SHA1";
    else throw Error("unsupported digest \"" + std::string(name) + "\" (expected sha256, sha384 or sha1)");
    clear_errors();
    if (name == "sha256") {
        // Nearly every signature: the digest fetched once, shared by reference count.
        auto* shared = const_cast<EVP_MD*>(sha256());
        check(EVP_MD_up_ref(shared) == 1, "EVP_MD_up_ref");
        return Md(shared);
    }
    Md md(EVP_MD_fetch(nullptr, algorithm, nullptr));
    check(md != nullptr, "EVP_MD_fetch");
    return md;
}

Pkey generate_key(KeyType type) {
    EVP_PKEY_CTX* ctx = keygen_context(type);
    clear_errors();
    EVP_PKEY* raw = nullptr;
    check(EVP_PKEY_generate(ctx, &raw) == 1, "key generation failed");
    return Pkey(raw);
}

std::string generated_key_pem(KeyType type, EVP_PKEY* key) {
    return type == KeyType::p256v1 ? p256_private_key_pem(key) : private_key_pem(key);
}

}  // namespace detail

std::string generate_private_key(KeyType type) {
    auto key = detail::generate_key(type);
    return detail::generated_key_pem(type, key.get());
}

namespace {

// OpenSSL's key generation progress callback: called between the steps of the prime search.
int call_step_aside(EVP_PKEY_CTX* ctx) {
    if (auto* step_aside = reinterpret_cast<void (*)() noexcept>(EVP_PKEY_CTX_get_app_data(ctx))) step_aside();
    return 1;  // go on
}

}  // namespace

std::string generate_private_key(KeyType type, void (*step_aside)() noexcept) {
    EVP_PKEY_CTX* ctx = detail::keygen_context(type);
    // The context is this thread's and reused: the callback is set for this key only.
    EVP_PKEY_CTX_set_app_data(ctx, reinterpret_cast<void*>(step_aside));
    EVP_PKEY_CTX_set_cb(ctx, call_step_aside);
    struct Unset {
        EVP_PKEY_CTX* ctx;
        ~Unset() {
            EVP_PKEY_CTX_set_cb(ctx, nullptr);
            EVP_PKEY_CTX_set_app_data(ctx, nullptr);
        }
    } unset{ctx};
    return generate_private_key(type);
}

std::string public_key_of_private_key(std::string_view private_key_pem) {
    auto key = detail::read_private_key(private_key_pem);
    return detail::public_key_pem(key.get());
}

std::optional<KeyType> key_type_of_private_key(std::string_view private_key_pem) {
    auto key = detail::read_private_key(private_key_pem);
    return detail::key_type(key.get());
}

}  // namespace crypto
