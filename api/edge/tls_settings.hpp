#pragma once
// A custom hostname's ssl.settings (as stored: the JSON object the API accepted) as the TLS
// policy its connections get.
#include <optional>
#include <string>

#include "crypto/tls_context.hpp"

namespace api::edge {

// min_tls_version "1.0".."1.3" sets the floor; tls_1_3 "off" or tls_1_2_only "on" caps at TLS 1.2;
// ciphers (BoringSSL or IANA names) restrict TLS 1.2 and below, in the customer's order, names
// OpenSSL lacks dropped. Absent or unreadable settings: the edge's defaults.
crypto::TlsPolicy tls_policy(const std::optional<std::string>& settings_json);

}  // namespace api::edge
