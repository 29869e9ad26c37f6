// GET /_emulator/ready: readiness (as opposed to /_emulator/health, liveness) for test
// harnesses and orchestrators: 200 once the database answers a query, 503 with the reason if not.
// The key pool does not gate readiness: an empty pool only makes the first creates slower.
#include <nlohmann/json.hpp>
#include "api/context.hpp"
#include "api/envelope.hpp"
#include "api/emulator/readiness_routes.hpp"
#include "storage/state_repository.hpp"

namespace api {

void add_emulator_readiness_routes(Router& router) {
    router.add(
        "GET", "/_emulator/ready",
        [](const Request&, Context& context) {
            try {
                storage::StateRepository(context.db).ping();
            } catch (const std::exception& error) {
                return json_response(503, {{"ready", false}, {"reason", std::string("database: ") + error.what()}});
            }
            return json_response(200, {{"ready", true},
                                       {"key_pool",
                                        {{"ready", context.keys.ready_count()}, {"waiting", context.keys.waiting_count()}}}});
        },
        Surface::emulator);
}

}  // namespace api
