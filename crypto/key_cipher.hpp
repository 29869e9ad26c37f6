#pragma once
// Private keys encrypted at rest: AES-256-GCM under a key-encryption key the operator gives.
// Each sealed value is "enc:v1:" + base64(nonce(12) | tag(16) | ciphertext), with a fresh random
// nonce, and authenticates an associated-data string (the caller's table, column and row id), so
// a value copied into another row or column does not open.
#include <array>
#include <string>
#include <string_view>

namespace crypto {

// The prefix of every sealed value: the version lets a later format coexist with this one.
inline constexpr std::string_view sealed_key_prefix = "enc:v1:";

inline bool is_sealed(std::string_view stored) noexcept { return stored.starts_with(sealed_key_prefix); }

class KeyCipher {
public:
    // 32 bytes given as 64 hex digits or as base64 (44 characters); surrounding whitespace (a
    // trailing newline in a key file) is ignored. Throws crypto::Error saying what is wrong.
    static KeyCipher from_text(std::string_view text);

    std::string seal(std::string_view plaintext, std::string_view associated_data) const;
    // Throws crypto::Error when the value is not in the sealed format, or does not authenticate
    // (another key, other associated data, altered bytes).
    std::string open(std::string_view sealed, std::string_view associated_data) const;

private:
    explicit KeyCipher(const std::array<unsigned char, 32>& key) : key_(key) {}
    std::array<unsigned char, 32> key_;
};

}  // namespace crypto
