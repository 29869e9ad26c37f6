#pragma once
#include "api/router.hpp"

namespace api {

// POST /_emulator/reset, GET /_emulator/state (the snapshot), PUT /_emulator/state (the seed).
void add_emulator_state_routes(Router& router);

}  // namespace api
