#pragma once
// What the journal must never keep: private keys in bodies and secrets in headers.
#include <string>
#include <string_view>

#include "api/http_types.hpp"

namespace api::emulator {

inline constexpr std::string_view redacted = "[REDACTED]";
// What the journal keeps instead of a body nested deeper than api::max_body_depth.
inline constexpr std::string_view too_deep_body = "[NOT RECORDED: nested deeper than 64 levels]";

// Replaces every "-----BEGIN … PRIVATE KEY-----…-----END … PRIVATE KEY-----" block (PEM or inside
// JSON strings) and, in JSON bodies, the value of any field named custom_key or containing
// "private_key" (private_key, private_key_pem, cert_private_key_pem, …). A body nested deeper
// than api::max_body_depth becomes too_deep_body. A body with nothing to redact comes back as it
// was sent (byte for byte, not re-serialized): the journal's routes parse it again anyway.
std::string redact_body(std::string body);

// Which kind of credential a request carries, never the secret: "api_token", "api_key",
// "service_key" or "none".
std::string credential_kind(const Request& request);

}  // namespace api::emulator
