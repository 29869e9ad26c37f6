#pragma once
// GET /_emulator/metrics: Prometheus text exposition format 0.0.4.
#include "api/emulator/metrics.hpp"
#include "api/router.hpp"

namespace api::emulator {

void add_metrics_routes(Router& router, Metrics& metrics);

}  // namespace api::emulator
