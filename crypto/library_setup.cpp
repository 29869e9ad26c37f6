#include "crypto/library_setup.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/detail/pkey.hpp"

namespace crypto {

void prepare_library() noexcept {
    try {
        OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr);
        unsigned char byte = 0;
        (void)RAND_bytes(&byte, 1);
        // A P-256 key through the encoders and decoders the test CA, the trust store and the
        // first CSR use (PKCS#8 and SubjectPublicKeyInfo PEM, both ways).
        auto key = detail::generate_key(KeyType::p256v1);
        (void)detail::read_private_key(detail::private_key_pem(key.get()));
        (void)detail::read_public_key(detail::public_key_pem(key.get()));
    } catch (...) {
    }
    detail::clear_errors();
}

}  // namespace crypto
