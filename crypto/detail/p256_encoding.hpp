#pragma once
// Private to crypto/: DER for a P-256 key written from its two numbers. OpenSSL 3 writes a
// provider key's PKCS#8 through an encoder context and puts it into a CSR by encoding it and
// decoding it again; setting up those contexts cost more than making the key and signing the
// CSR together. The bytes are the ones OpenSSL writes (the tests compare with `openssl pkey`).
#include <string>

#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

// The unencrypted PKCS#8 PEM private_key_pem(key) returns, for a P-256 key: a PrivateKeyInfo
// naming prime256v1, holding an ECPrivateKey with the public key and without parameters.
std::string p256_private_key_pem(EVP_PKEY* key);

// Makes `spki` (e.g. a CSR's) the SubjectPublicKeyInfo of a P-256 key: id-ecPublicKey,
// prime256v1, the uncompressed point; what X509_REQ_set_pubkey would store.
void set_p256_public_key(X509_PUBKEY* spki, EVP_PKEY* key);

}  // namespace crypto::detail
