#pragma once
// Cryptographically random identifiers (OpenSSL's DRBG).
#include <string>

namespace crypto {

// A random RFC 4122 version-4 UUID in lowercase text form, e.g. "7b163417-1d2b-4c84-a38a-2fb7a0cd7752".
std::string random_uuid();

// n random bytes as 2n lowercase hex characters.
std::string random_hex(std::size_t n);

}  // namespace crypto
