#pragma once
// What the journal must never keep: private keys in bodies and secrets in headers.
#include <string>
#include <string_view>

#include "api/http_types.hpp"

namespace api::emulator {

inline constexpr std::string_view redacted = "[REDACTED]";

// Replaces every "-----BEGIN … PRIVATE KEY-----…-----END … PRIVATE KEY-----" block (PEM or inside
// JSON strings) and, in JSON bodies, the value of any field named custom_key or containing
// "private_key" (private_key, private_key_pem, cert_private_key_pem, …).
std::string redact_body(std::string_view body);

// Which kind of credential a request carries, never the secret: "api_token", "api_key",
// "service_key" or "none".
std::string credential_kind(const Request& request);

}  // namespace api::emulator
