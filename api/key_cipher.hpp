#pragma once
// The bridge between storage/'s KeyCipher interface and crypto/'s AES-256-GCM: api/ is the
// layer that sees both.
#include <memory>
#include <string_view>

#include "storage/key_cipher.hpp"

namespace api {

// From the key's text (64 hex digits or base64 of 32 bytes). Throws crypto::Error when it is
// not such a key.
std::shared_ptr<const storage::KeyCipher> make_key_cipher(std::string_view key_text);

}  // namespace api
