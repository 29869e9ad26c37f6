// Emulator-only routes under /_emulator/: outside Cloudflare's surface, no Cloudflare auth.
#include "api/envelope.hpp"
#include "api/service.hpp"

namespace api {

void add_emulator_routes(Router& router) {
    // Liveness for container healthchecks and scripts.
    router.add(
        "GET", "/_emulator/health",
        [](const Request&, Context&) {
            return json_response(200, {{"status", "ok"}, {"version", CSR_EMULATOR_VERSION}});
        },
        Surface::emulator);
}

}  // namespace api
