#pragma once
// GET /_emulator/rate_limit and PUT /_emulator/rate_limit ({"enabled": true, "quota": 1200,
// "window_seconds": 300}; fields left out keep their value). A PUT starts every window afresh.
#include "api/emulator/rate_limit.hpp"
#include "api/router.hpp"

namespace api::emulator {

void add_rate_limit_routes(Router& router, RateLimiter& limiter);

}  // namespace api::emulator
