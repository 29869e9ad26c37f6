#pragma once
// GET /_emulator/faults (the rules, with how often each fired), POST /_emulator/faults (adds one,
// answers it with its id), DELETE /_emulator/faults (all) and DELETE /_emulator/faults/{id}.
#include "api/emulator/faults.hpp"
#include "api/router.hpp"

namespace api::emulator {

void add_fault_routes(Router& router, FaultRules& faults);

}  // namespace api::emulator
