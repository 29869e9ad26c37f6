#pragma once
// The single entry point from the server: route, authenticate, run the handler, and turn every
// failure into a Cloudflare envelope. No exception leaves handle().
#include <memory>

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

    // The server stops: requests in flight get their remaining work done at serving priority
    // (RSA keys they wait for: KeyPool::hurry).
    void shutting_down();

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

}  // namespace api
