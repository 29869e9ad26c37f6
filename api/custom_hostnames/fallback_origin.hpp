#pragma once
// /zones/{zone_id}/custom_hostnames/fallback_origin: where Cloudflare sends custom hostname
// traffic. One per zone; PUT sets it (pending_deployment, then active a --validation-step
// later, or in dns mode once it resolves), DELETE marks it pending_deletion and it is gone a
// step later. With --validation off (or step 0) both settle in the request itself; in manual
// mode neither moves until POST /_emulator/zones/{zone_id}/custom_hostnames/fallback_origin/advance.
// Timed statuses are computed from the stored updated_at, so they survive restarts: a read
// shows and stores them, and the background settler (settler_tasks.hpp) stores them as their
// time comes, so the edge (which reads the stored status) needs no API read.
#include <optional>
#include <string>

#include "api/context.hpp"
#include "api/custom_hostnames/lifecycle.hpp"
#include "api/errors.hpp"
#include "api/router.hpp"
#include "storage/fallback_origin_repository.hpp"

namespace api {

namespace fallback_origin_errors {
// GET or DELETE with none set. Cloudflare's code is inferred (Cloudflare's documentation); its text unknown.
inline constexpr ErrorSpec not_found{404, 1551, "No fallback origin found for this zone."};
}  // namespace fallback_origin_errors

// Registers GET, PUT and DELETE, and the emulator's `advance` route (declared in service.hpp).

// Moves a zone's pending origin on if its time has come (see above), as a read would: active a
// step after a PUT, removed a step after a DELETE. Returns the row as it is afterwards.
std::optional<storage::FallbackOrigin> settle_fallback_origin(Context& context, const std::string& zone_id);

// ---- dns mode ----
// Cloudflare's wording for an origin that is no (proxied) A/AAAA/CNAME record (Cloudflare's documentation,
// seen live with status pending_deployment). The emulator has no zone DNS: it asks whether the
// origin has an A or AAAA record through --dns-server.
inline constexpr std::string_view error_origin_not_resolving =
    "DNS records are not setup correctly. Origin should be a proxied A/AAAA/CNAME dns record";
// Failed checks before a pending origin gives up (Cloudflare's limit is unknown; the emulator
// keeps the hostnames' ownership limit, ~7 days on their schedule).
inline constexpr int origin_max_attempts = lifecycle::ownership_max_attempts;
inline constexpr const char* origin_timed_out = "deployment_timed_out";

// One check's outcome for a pending_deployment origin, as it was when the check started: an
// origin that resolves becomes active (errors and schedule cleared, updated_at `now`); one
// that does not counts an attempt, shows the error and is due again after
// lifecycle::retry_delay (times `scale`), until the last attempt makes it deployment_timed_out.
storage::FallbackOrigin apply_origin_check(storage::FallbackOrigin origin, bool resolves, TimePoint now, double scale);

}  // namespace api
