// Emulator-only routes under /_emulator/: outside Cloudflare's surface, no Cloudflare auth.
#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/ca_routes.hpp"
#include "api/envelope.hpp"
#include "api/service.hpp"

namespace api {

void add_emulator_routes(Router& router) {
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
}

}  // namespace api
