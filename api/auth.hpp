#pragma once
// Authentication as Cloudflare's API gateway does it: Bearer token or X-Auth-Email + X-Auth-Key.
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.hpp"

namespace api {

struct AuthPolicy {
    // Empty lists: any well-formed credential is accepted (test suites use tokens like "test").
    std::vector<std::string> api_tokens;
    std::vector<std::pair<std::string, std::string>> api_keys;  // (email, key)
    // Origin CA service keys (X-Auth-User-Service-Key, "v1.0-…"), taken by /certificates only:
    // any well-formed one unless keys are listed here (or other credentials are strict, then only
    // listed ones); none at all once refused (Cloudflare retired them in 2026).
    std::vector<std::string> service_keys;
    bool service_keys_refused = false;

    bool strict() const { return !api_tokens.empty() || !api_keys.empty(); }
};

// A Cloudflare global API key's shape: 37 hexadecimal digits. Anything else in X-Auth-Key (an
// API token put there by mistake, say) is refused by Cloudflare's gateway as malformed.
bool well_formed_api_key(std::string_view value);

// Throws ApiError: 400/9106 no credentials, 400/6003 (+6111/6102/6103) malformed headers,
// 403/10000 well-formed but unknown credentials in strict mode.
void authenticate(const Request& request, const AuthPolicy& policy);

// The Origin CA's routes: a service key alone authenticates (400 / 10000 when malformed or not
// listed, 403 / 1016 when refused); with any other credential, authenticate() decides.
void authenticate_origin_ca(const Request& request, const AuthPolicy& policy);

}  // namespace api
