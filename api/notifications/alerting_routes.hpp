#pragma once
// Cloudflare's alerting v3 routes (webhook destinations, policies) and the emulator's own
// notification routes (/_emulator/notifications/..., a hostname's event on demand).
#include "api/router.hpp"

namespace api::notifications {

void add_alerting_routes(Router& router);      // alerting_routes.cpp
void add_notification_routes(Router& router);  // notification_routes.cpp

}  // namespace api::notifications
