// Emulator-only routes under /_emulator/: outside Cloudflare's surface, no Cloudflare auth. The
// one place that registers them all.
#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/ca_routes.hpp"
#include "api/emulator/console_routes.hpp"
#include "api/emulator/control_plane.hpp"
#include "api/emulator/inspection_routes.hpp"
#include "api/emulator/readiness_routes.hpp"
#include "api/emulator/state_routes.hpp"
#include "api/envelope.hpp"
#include "api/routes.hpp"

namespace api {

void add_emulator_routes(Router& router, emulator::ControlPlane& control) {
    // Liveness for container healthchecks and scripts, with the key pool's state.
    router.add(
        "GET", "/_emulator/health",
        [](const Request&, Context& context) {
            return json_response(200, {{"status", "ok"},
                                       {"version", CSR_EMULATOR_VERSION},
                                       {"key_pool",
                                        {{"ready", context.keys.ready_count()}, {"waiting", context.keys.waiting_count()}}}});
        },
        Surface::emulator);
    add_emulator_ca_routes(router);
    add_emulator_state_routes(router);
    add_emulator_readiness_routes(router);
    emulator::add_control_plane_routes(router, control);
    emulator::add_console_routes(router);
    emulator::add_inspection_routes(router);
}

}  // namespace api
