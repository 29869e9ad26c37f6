#pragma once
// /_emulator/ca/...: the test CA's root and intermediate, and its signer.
#include "api/router.hpp"

namespace api {

void add_emulator_ca_routes(Router& router);

}  // namespace api
