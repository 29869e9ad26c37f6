#pragma once
// Private to crypto/: OpenSSL 3 algorithms fetched once instead of on every call. An implicit
// fetch (EVP_sha256() handed to a sign call, EVP_aes_256_gcm() to a cipher init, a keygen context
// made by name) looks the name up in the provider store under its locks each time; for a P-256
// key and CSR that was most of the work.
#include <openssl/evp.h>

#include "crypto/keys.hpp"

namespace crypto::detail {

// Fetched on first use, shared by every thread for the life of the process (a fetched
// algorithm is immutable and reference-counted, so sharing it needs no lock).
const EVP_MD* sha256();
const EVP_CIPHER* aes_256_gcm();

// This thread's key generation context for `type`, initialised once (group or bits and exponent
// set) and reused for every key the thread makes. Valid until the thread ends.
EVP_PKEY_CTX* keygen_context(KeyType type);

}  // namespace crypto::detail
