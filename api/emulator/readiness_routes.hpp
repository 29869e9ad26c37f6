#pragma once
#include "api/router.hpp"

namespace api {

// GET /_emulator/ready: 200 once the database answers a query, 503 with the reason if not.
void add_emulator_readiness_routes(Router& router);

}  // namespace api
