#pragma once
// Private keys: generation and the facts about a key PEM the API needs.
#include <optional>
#include <string>
#include <string_view>

namespace crypto {

enum class KeyType { rsa2048, p256v1 };

// A new private key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"): RSA-2048 with
// e = 65537, or NIST P-256. RSA generation takes tens to hundreds of milliseconds.
std::string generate_private_key(KeyType type);

// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") of a private key PEM (PKCS#8, or the
// traditional "RSA PRIVATE KEY" / "EC PRIVATE KEY"). Throws crypto::Error when the key cannot be
// parsed; an encrypted key fails too (there is never a password prompt).
std::string public_key_of_private_key(std::string_view private_key_pem);

// RSA-2048 or P-256, or std::nullopt for any other algorithm or size. Throws when unparsable.
std::optional<KeyType> key_type_of_private_key(std::string_view private_key_pem);

}  // namespace crypto
