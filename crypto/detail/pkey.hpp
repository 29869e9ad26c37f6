#pragma once
// Private to crypto/: EVP_PKEY helpers shared by keys, CSRs and the emulator CA.
#include <optional>
#include <string>
#include <string_view>

#include "crypto/detail/ossl.hpp"
#include "crypto/keys.hpp"

namespace crypto::detail {

Pkey generate_key(KeyType type);

// Parses the first private key in the PEM text; throws crypto::Error (also for encrypted keys).
Pkey read_private_key(std::string_view pem);
// Parses an SPKI PEM; throws crypto::Error.
Pkey read_public_key(std::string_view pem);

std::string private_key_pem(EVP_PKEY* key);  // PKCS#8, unencrypted
std::string public_key_pem(EVP_PKEY* key);   // SubjectPublicKeyInfo
// private_key_pem of a key generate_key(type) made, P-256 without OpenSSL's encoder.
std::string generated_key_pem(KeyType type, EVP_PKEY* key);

std::optional<KeyType> key_type(EVP_PKEY* key);
bool is_rsa(EVP_PKEY* key);

// The digest for SignOptions::digest ("sha256", "sha384", "sha1"); throws for anything else.
Md fetch_digest(std::string_view name);

}  // namespace crypto::detail
