#pragma once
// Cloudflare's error codes, one table per surface: the codes of the CSR, custom hostname and
// custom certificate services overlap with different meanings (1403, 1420, ...), so each
// resource has its own namespace. Messages are Cloudflare's wording.
#include "api/errors.hpp"

namespace api::gateway_errors {
// Routing and authentication happen in Cloudflare's API gateway, before any service.
inline constexpr ErrorSpec missing_credentials{400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"};
inline constexpr ErrorSpec invalid_headers{400, 6003, "Invalid request headers"};
inline constexpr ErrorSpec invalid_x_auth_email{400, 6102, "Invalid format for X-Auth-Email header"};
inline constexpr ErrorSpec invalid_x_auth_key{400, 6103, "Invalid format for X-Auth-Key header"};
inline constexpr ErrorSpec invalid_authorization{400, 6111, "Invalid format for Authorization header"};
inline constexpr ErrorSpec authentication_error{403, 10000, "Authentication error"};
inline constexpr ErrorSpec no_route{404, 7000, "No route for that URI"};
inline constexpr ErrorSpec could_not_route{404, 7003, "Could not route to %s, perhaps your object identifier is invalid?"};
// Cloudflare documents no code for these two; the emulator's choice is listed in README.
inline constexpr ErrorSpec method_not_allowed{405, 7001, "Method not allowed for this route"};
inline constexpr ErrorSpec body_too_large{413, 9413, "Request body too large"};
inline constexpr ErrorSpec malformed_http{400, 1400, "Unable to decode the HTTP request"};
inline constexpr ErrorSpec internal{500, 1500, "Internal Server Error"};
}  // namespace api::gateway_errors

namespace api::csr_errors {
inline constexpr ErrorSpec body_undecodable{400, 1400, "Unable to decode the JSON request body. Check your input and try again."};
inline constexpr ErrorSpec country_required{400, 1405, "Country field is required. Check your input and try again."};
inline constexpr ErrorSpec state_required{400, 1406, "State field is required. Check your input and try again."};
inline constexpr ErrorSpec locality_required{400, 1407, "Locality field is required. Check your input and try again."};
inline constexpr ErrorSpec organization_required{400, 1408, "Organization field is required. Check your input and try again."};
inline constexpr ErrorSpec common_name_required{400, 1409, "Common Name field is required. Check your input and try again."};
inline constexpr ErrorSpec common_name_too_long{400, 1410, "The specified Common Name is too long. Maximum allowed length is %d characters. Check your input and try again."};
inline constexpr ErrorSpec sans_required{400, 1411, "At least one subject alternative name (SAN) is required. Check your input and try again."};
inline constexpr ErrorSpec san_invalid{400, 1412, "Invalid subject alternative name(s) (SAN). SANs have to be smaller than 256 characters in length, cannot be IP addresses, cannot contain any special characters such as ~`!@#$%^&*()=+{}[]|\\;:'\",<>/? and cannot begin or end with a '-' character. Check your input and try again."};
inline constexpr ErrorSpec san_non_ascii{400, 1413, "SANs with non-ASCII characters are not supported. Check your input and try again."};
inline constexpr ErrorSpec san_reserved_tld{400, 1414, "Reserved top domain SAN (test, example, invalid, localhost) not supported. Check your input and try again."};
inline constexpr ErrorSpec san_unparsable{400, 1415, "Unable to parse subject alternative name(s) (SAN) - %s. Check your input and try again."};
inline constexpr ErrorSpec san_example_domain{400, 1416, "SANs ending in example.com, example.net, or example.org are prohibited. Check your input and try again."};
inline constexpr ErrorSpec key_type_invalid{400, 1417, "Invalid key type. Only 'rsa2048' or 'p256v1' is accepted. Check your input and try again."};
inline constexpr ErrorSpec id_invalid{400, 1418, "The custom CSR ID is invalid. Check your input and try again."};
inline constexpr ErrorSpec not_found{404, 1419, "The custom CSR was not found."};
inline constexpr ErrorSpec in_use{409, 1420, "The custom CSR is associated with an active certificate pack. You will need to delete all associated active certificate packs before you can delete the custom CSR."};
}  // namespace api::csr_errors
