#pragma once
// The single entry point from the server: route, authenticate, run the handler, and turn every
// failure into a Cloudflare envelope. No exception leaves handle().
#include <functional>

#include "api/context.hpp"
#include "api/http_types.hpp"
#include "api/router.hpp"

namespace api {

class Service {
public:
    explicit Service(Context& context);

    // Calls `done` exactly once, on this thread or (for CPU-heavy routes) on a worker thread.
    void handle(Request request, Completion done) noexcept;

    // Blocks until the response is ready; for tests and the CLI.
    Response handle_and_wait(Request request);

private:
    Context& context_;
    Router router_;
};

// Runs `produce`, turning an ApiError into its envelope and any other exception into 500/1500
// plus an error log line. Async handlers call it on their worker thread.
Response guarded(Context& context, const Request& request, const std::function<Response()>& produce) noexcept;

// The routes of each resource (defined next to their handlers).
void add_custom_csr_routes(Router& router);
void add_custom_hostname_routes(Router& router);
void add_fallback_origin_routes(Router& router);  // api/custom_hostnames/fallback_origin.cpp
void add_custom_certificate_routes(Router& router);
void add_emulator_routes(Router& router);

}  // namespace api
