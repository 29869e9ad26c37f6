#pragma once
// What Cloudflare's API gateway does before a request reaches the certificate services, for
// the server and Service::handle to apply: object-identifier checks (7003) and the Date header.
#include <optional>
#include <string>
#include <string_view>

#include "api/time_text.hpp"
#include "api/http_types.hpp"

namespace api::emulator {

// 2026: 404 with a single 7003 naming the full path. Before (2017-21 reports, and a 2026
// accounts path): 400 with 7003 and 7000.
enum class GatewayStyle { current, legacy };

// Cloudflare's zone and account ids: 32 hexadecimal digits.
bool is_object_identifier(std::string_view text) noexcept;

// Throws ApiError when the zone_id or account_id path parameter (as the router filled them in
// request.params) is not an object identifier:
//   "Could not route to /client/v4/zones/<id>/custom_csrs, perhaps your object identifier is invalid?"
void check_object_identifiers(const Request& request, GatewayStyle style);

// For a path no route matched: when its zone or account segment ("/zones/<id>/…",
// "/accounts/<id>/…", with or without /client/v4) is not an object identifier (an empty one
// too, "/zones//custom_csrs"), the path with a valid id in its place, so the caller can ask the
// router whether only the id kept it from a route (then the gateway answers 7003, as for a bad
// id on a known route). nullopt when the segment is a valid id or there is none.
std::optional<std::string> with_valid_identifier(std::string_view path);

// The 7003 answer for `path` in this style (404 with 7003 now; 400 with 7003 + 7000 before).
[[noreturn]] void throw_could_not_route(std::string_view path, GatewayStyle style);

}  // namespace api::emulator
