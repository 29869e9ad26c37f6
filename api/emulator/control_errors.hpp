#pragma once
// Errors of the emulator's own routes. They use Cloudflare's envelope so one client-side error
// path reads both; the message says which field was wrong.
#include <string>

#include "api/errors.hpp"

namespace api::emulator {

inline constexpr ErrorSpec invalid_control_request{400, 1400, "Invalid request to the emulator control plane"};
inline constexpr ErrorSpec control_item_not_found{404, 1404, "No such item"};

// A seeded state document refused at a JSON pointer ("/custom_csrs/0/sans: must be an array").
// The root's pointer is "", which would read as no location at all.
[[noreturn]] inline void refuse_at(const std::string& pointer, const std::string& message) {
    throw ApiError(invalid_control_request, (pointer.empty() ? std::string("(document)") : pointer) + ": " + message);
}

// Access to the API listener (api/emulator/control_access.hpp); each code is 1000 + the status.
inline constexpr ErrorSpec control_credential_required{
    401, 1401, "The control plane needs its credential: send Authorization: Bearer <the --control-token value>"};
inline constexpr ErrorSpec control_plane_closed{
    403, 1403,
    "The control plane is closed: strict authentication (--api-token/--api-key) is on and no control token is set; "
    "start the emulator with --control-token TOKEN (CSR_EMULATOR_CONTROL_TOKEN) and send Authorization: Bearer TOKEN"};
inline constexpr ErrorSpec cross_origin_refused{403, 1403, "Cross-origin request refused"};
inline constexpr ErrorSpec control_needs_json{415, 1415, "The control plane accepts only Content-Type: application/json"};
inline constexpr ErrorSpec host_not_served{421, 1421, "This server does not answer for that host"};

}  // namespace api::emulator
