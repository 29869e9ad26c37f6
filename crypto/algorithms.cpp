// Algorithms and key generation contexts fetched once (see crypto/detail/algorithms.hpp).
#include "crypto/detail/algorithms.hpp"

#include <memory>
#include <string>

#include "crypto/detail/ossl.hpp"

namespace crypto::detail {
namespace {

using Cipher = std::unique_ptr<EVP_CIPHER, Free<EVP_CIPHER_free>>;

// An algorithm from the default providers by name; throws when none has it.
template <class Owner, auto Fetch>
Owner fetch(const char* name) {
    clear_errors();
    Owner fetched(Fetch(nullptr, name, nullptr));
    check(fetched != nullptr, std::string("cannot fetch ") + name);
    return fetched;
}

PkeyCtx new_keygen_context(KeyType type) {
    clear_errors();
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type == KeyType::rsa2048 ? "RSA" : "EC", nullptr));
    check(ctx != nullptr, "EVP_PKEY_CTX_new_from_name");
    check(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init");
    if (type == KeyType::rsa2048) {
        // 65537 is OpenSSL's default exponent; set it anyway so the promise does not rest on a default.
        Bignum e(BN_new());
        check(e != nullptr && BN_set_word(e.get(), 65537) == 1, "BN_set_word");
        check(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) == 1, "EVP_PKEY_CTX_set_rsa_keygen_bits");
        check(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) == 1, "EVP_PKEY_CTX_set1_rsa_keygen_pubexp");
    } else {
        check(EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") == 1, "EVP_PKEY_CTX_set_group_name");
    }
    return ctx;
}

}  // namespace

// Static locals: a failed fetch throws out of the initialisation, so the next call tries again.
const EVP_MD* sha256() {
    static const Md md = fetch<Md, EVP_MD_fetch>("SHA2-256");
    return md.get();
}

const EVP_CIPHER* aes_256_gcm() {
    static const Cipher cipher = fetch<Cipher, EVP_CIPHER_fetch>("AES-256-GCM");
    return cipher.get();
}

EVP_PKEY_CTX* keygen_context(KeyType type) {
    thread_local PkeyCtx rsa, ec;
    PkeyCtx& ctx = type == KeyType::rsa2048 ? rsa : ec;
    if (!ctx) ctx = new_keygen_context(type);
    return ctx.get();
}

}  // namespace crypto::detail
