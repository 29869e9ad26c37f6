#pragma once
// The certificate the API's TLS listener (--api-tls-listen) presents: api.cloudflare.com, issued
// by the test CA at start, so a client that trusts the test root reaches the emulator under
// Cloudflare's own name (a hosts entry or --resolve) with its default base URL.
#include "api/time_text.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/tls_context.hpp"

namespace api::emulator {

inline constexpr std::string_view api_host_name = "api.cloudflare.com";

// A new P-256 key and its certificate (leaf + intermediate), valid for a year from `now`.
crypto::TlsKeyPair api_tls_identity(const crypto::CaMaterial& ca, TimePoint now);

}  // namespace api::emulator
