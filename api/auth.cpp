#include "api/auth.hpp"

#include <algorithm>
#include <optional>

#include "api/errors_catalogue.hpp"

namespace api {
namespace {

bool is_token_char(char c) {
    // Printable ASCII without spaces: what a bearer token or API key can be made of.
    return c > 0x20 && c < 0x7f;
}

bool well_formed_token(std::string_view value) {
    return !value.empty() && std::all_of(value.begin(), value.end(), is_token_char);
}

bool well_formed_email(std::string_view value) {
    auto at = value.find('@');
    return well_formed_token(value) && at != std::string_view::npos && at > 0 && at + 1 < value.size() &&
           value.find('@', at + 1) == std::string_view::npos;
}

[[noreturn]] void invalid_headers(const ErrorSpec& detail) {
    const auto& top = gateway_errors::invalid_headers;
    throw ApiError(top.status, {ErrorItem{top.code, std::string(top.message),
                                          {ErrorItem{detail.code, std::string(detail.message), {}}}}});
}

// "Bearer <token>" (scheme case-insensitive) -> token; anything else is malformed.
std::optional<std::string_view> bearer_token(std::string_view header) {
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size() || !iequals(header.substr(0, scheme.size()), scheme)) return std::nullopt;
    std::string_view token = header.substr(scheme.size());
    if (!well_formed_token(token)) return std::nullopt;
    return token;
}

}  // namespace

bool well_formed_api_key(std::string_view value) {
    return value.size() == 37 && std::all_of(value.begin(), value.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

void authenticate(const Request& request, const AuthPolicy& policy) {
    auto authorization = request.header("Authorization");
    auto email = request.header("X-Auth-Email");
    auto key = request.header("X-Auth-Key");

    if (!authorization && !email && !key) throw ApiError(gateway_errors::missing_credentials);

    // Structural checks first, on every header sent (the TypeScript SDK sends all it has).
    std::optional<std::string_view> token;
    if (authorization) {
        token = bearer_token(*authorization);
        if (!token) invalid_headers(gateway_errors::invalid_authorization);
    }
    if (email || key) {
        if (!email || !well_formed_email(*email)) {
            // A key alone is only acceptable when a bearer token carries the authentication.
            if (email || !token) invalid_headers(gateway_errors::invalid_x_auth_email);
        }
        if (!key || !well_formed_api_key(*key)) {
            if (key || !token) invalid_headers(gateway_errors::invalid_x_auth_key);
        }
    }

    if (!policy.strict()) return;
    bool token_ok = token && std::find(policy.api_tokens.begin(), policy.api_tokens.end(), *token) !=
                                 policy.api_tokens.end();
    bool key_ok = email && key &&
                  std::find_if(policy.api_keys.begin(), policy.api_keys.end(), [&](const auto& pair) {
                      return iequals(pair.first, *email) && pair.second == *key;
                  }) != policy.api_keys.end();
    if (!token_ok && !key_ok) throw ApiError(gateway_errors::authentication_error);
}

void authenticate_origin_ca(const Request& request, const AuthPolicy& policy) {
    auto service_key = request.header("X-Auth-User-Service-Key");
    if (!service_key || request.header("Authorization") || request.header("X-Auth-Key"))
        return authenticate(request, policy);
    if (policy.service_keys_refused) throw ApiError(origin_ca_errors::service_key_refused);
    bool well_formed = service_key->starts_with("v1.0-") && well_formed_token(*service_key);
    // Strict credentials without listed service keys take none.
    bool listed = policy.service_keys.empty() ? !policy.strict() :
                  std::find(policy.service_keys.begin(), policy.service_keys.end(), *service_key) != policy.service_keys.end();
    if (!well_formed || !listed) throw ApiError(origin_ca_errors::authentication_error);
}

}  // namespace api
