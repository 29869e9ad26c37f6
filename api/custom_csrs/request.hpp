#pragma once
// A Custom CSR create request, read from JSON and checked rule by rule with Cloudflare's codes.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "crypto/csr.hpp"
#include "crypto/keys.hpp"

namespace api {

struct CustomCsrRequest {
    crypto::CsrSubject subject;
    std::vector<std::string> sans;
    crypto::KeyType key_type = crypto::KeyType::rsa2048;
    std::optional<std::string> name, description;
};

inline constexpr std::size_t max_sans = 150;
inline constexpr std::size_t max_common_name = 64;

// Throws ApiError with the code of the first rule the body breaks (Cloudflare's documentation).
CustomCsrRequest read_custom_csr_request(const nlohmann::json& body);

const char* key_type_name(crypto::KeyType type);

}  // namespace api
