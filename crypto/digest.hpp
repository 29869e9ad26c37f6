#pragma once
// Digests in the text forms Cloudflare's records use.
#include <string>
#include <string_view>

namespace crypto {

// SHA-256 of `data` as unpadded base64url: 43 characters, the form of an ACME DNS-01 TXT value
// (RFC 8555 8.4) and of the txt_value Cloudflare shows for a DCV record.
std::string sha256_base64url(std::string_view data);

}  // namespace crypto
