#pragma once
// /zones/{zone_id}/custom_hostnames/fallback_origin: where Cloudflare sends custom hostname
// traffic. One per zone; PUT sets it (pending_deployment, then active a step later), DELETE
// marks it pending_deletion and it is gone a step later. Statuses move when read, from the
// stored updated_at, so they need no timer and survive restarts.
#include "api/custom_hostnames/lifecycle.hpp"
#include "api/errors.hpp"
#include "api/router.hpp"

namespace api {

namespace fallback_origin_errors {
// GET or DELETE with none set. Cloudflare's code is inferred (CONTRACT §9.3); its text unknown.
inline constexpr ErrorSpec not_found{404, 1551, "No fallback origin found for this zone."};
}  // namespace fallback_origin_errors

// Registers GET, PUT and DELETE; `step` is how long each status change takes.
void add_fallback_origin_routes(Router& router, lifecycle::Duration step);

}  // namespace api
