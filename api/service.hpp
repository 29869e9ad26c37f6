#pragma once
// The single entry point from the server: route, authenticate, run the handler, and turn every
// failure into a Cloudflare envelope. No exception leaves handle().
#include <functional>
#include <memory>
#include <string>

#include "api/context.hpp"
#include "api/http_types.hpp"
#include "api/router.hpp"

namespace api::emulator {
class ControlPlane;
}

namespace api {

class Service {
public:
    // With a control plane of its own, built from default settings (unit tests).
    explicit Service(Context& context);
    // With the server's control plane (clock, ids, journal, faults, rate limit, metrics, scopes).
    Service(Context& context, emulator::ControlPlane& control);
    ~Service();

    // Calls `done` exactly once, on this thread or (for routes that wait) on another thread.
    void handle(Request request, Completion done) noexcept;

    // Blocks until the response is ready (unit tests drive Service this way).
    Response handle_and_wait(Request request);

    // The routes; unit tests add their own handlers here.
    Router& router() { return router_; }
    emulator::ControlPlane& control() { return control_; }

private:
    void add_routes();

    Context& context_;
    std::unique_ptr<emulator::ControlPlane> owned_control_;
    emulator::ControlPlane& control_;
    Router router_;
};

// What a log line needs to name a request, kept by handlers that answer later instead of the
// whole request (body included).
struct RequestLabel {
    std::string request_id, method, path;
    static RequestLabel of(const Request& request);
};

// Runs `produce`, turning an ApiError into its envelope and any other exception into 500/1500
// plus an error log line. Handlers that answer later call it where they finish the work.
Response guarded(Context& context, const RequestLabel& label, const std::function<Response()>& produce) noexcept;

// The routes of each resource (defined next to their handlers).
void add_custom_csr_routes(Router& router);
void add_custom_hostname_routes(Router& router);
void add_fallback_origin_routes(Router& router);  // api/custom_hostnames/fallback_origin.cpp
void add_custom_certificate_routes(Router& router);
void add_emulator_routes(Router& router);
void add_emulator_state_routes(Router& router);      // api/emulator/state_routes.cpp
void add_emulator_readiness_routes(Router& router);  // api/emulator/readiness_routes.cpp

}  // namespace api
