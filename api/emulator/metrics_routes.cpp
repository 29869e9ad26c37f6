#include "api/emulator/metrics_routes.hpp"

namespace api::emulator {

void add_metrics_routes(Router& router, Metrics& metrics) {
    router.add(
        "GET", "/_emulator/metrics",
        [&metrics](const Request&, Context&) {
            Response response;
            response.headers.emplace_back("Content-Type", std::string(prometheus_content_type));
            response.body = metrics.render();
            return response;
        },
        Surface::emulator);
}

}  // namespace api::emulator
