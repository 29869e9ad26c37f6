#pragma once
// GET /_emulator/clock and POST /_emulator/clock ({"now": RFC 3339} and/or {"advance": "90d"},
// or {"reset": true} for real time again).
#include "api/emulator/clock.hpp"
#include "api/router.hpp"

namespace api::emulator {

void add_clock_routes(Router& router, Clock& clock);

}  // namespace api::emulator
