#pragma once
// Errors of the emulator's own routes. They use Cloudflare's envelope so one client-side error
// path reads both; the message says which field was wrong.
#include "api/errors.hpp"

namespace api::emulator {

inline constexpr ErrorSpec invalid_control_request{400, 1400, "Invalid request to the emulator control plane"};
inline constexpr ErrorSpec control_item_not_found{404, 1404, "No such item"};

}  // namespace api::emulator
