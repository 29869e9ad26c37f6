#include "api/service.hpp"

#include <algorithm>
#include <atomic>
#include <future>

#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"

namespace api {
namespace {

[[noreturn]] void no_route(const Request& request) {
    const auto& first = gateway_errors::could_not_route;
    const auto& second = gateway_errors::no_route;
    throw ApiError(first.status, {ErrorItem{first.code, fill(first.message, request.path), {}},
                                  ErrorItem{second.code, std::string(second.message), {}}});
}

[[noreturn]] void method_not_allowed(std::vector<std::string> allowed) {
    std::sort(allowed.begin(), allowed.end());
    std::string allow;
    for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    const auto& spec = gateway_errors::method_not_allowed;
    throw ApiError(spec.status, {ErrorItem{spec.code, std::string(spec.message), {}}}, {{"Allow", allow}});
}

}  // namespace

Response guarded(Context& context, const Request& request, const std::function<Response()>& produce) noexcept {
    try {
        try {
            return produce();
        } catch (const ApiError& error) {
            return failure(error);
        } catch (const std::exception& error) {
            context.log(LogLevel::error, "unhandled_exception",
                        {{"request_id", request.request_id},
                         {"method", request.method},
                         {"path", request.path},
                         {"error", error.what()}});
        } catch (...) {
            context.log(LogLevel::error, "unhandled_exception",
                        {{"request_id", request.request_id}, {"method", request.method}, {"path", request.path}});
        }
        return failure(ApiError(gateway_errors::internal));
    } catch (...) {
        // Even building the 500 failed (out of memory); a bare 500 is all that is left.
        Response response;
        response.status = 500;
        return response;
    }
}

Service::Service(Context& context) : context_(context) {
    add_custom_csr_routes(router_);
    add_custom_hostname_routes(router_);
    add_fallback_origin_routes(router_);
    add_custom_certificate_routes(router_);
    add_emulator_routes(router_);
}

void Service::handle(Request request, Completion done) noexcept {
    const AsyncHandler* async = nullptr;
    Response response = guarded(context_, request, [&]() -> Response {
        RouteMatch match = router_.resolve(request.method, request.path);
        if (!match.route) {
            if (match.allowed_methods.empty()) no_route(request);
            method_not_allowed(match.allowed_methods);
        }
        request.params = std::move(match.params);
        if (match.route->surface == Surface::cloudflare) authenticate(request, context_.auth);
        if (auto* sync = std::get_if<SyncHandler>(&match.route->handler)) return (*sync)(request, context_);
        async = &std::get<AsyncHandler>(match.route->handler);
        return {};
    });
    if (!async) {
        done(std::move(response));
        return;
    }
    // The async handler owns the completion from here; anything it throws synchronously is
    // answered here instead.
    auto shared_done = std::make_shared<Completion>(std::move(done));
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Completion once = [shared_done, answered](Response r) {
        if (!answered->exchange(true)) (*shared_done)(std::move(r));
    };
    bool threw = false;
    Response early = guarded(context_, request, [&]() -> Response {
        try {
            (*async)(request, context_, once);
        } catch (...) {
            threw = true;
            throw;
        }
        return {};
    });
    if (threw) once(std::move(early));
}

Response Service::handle_and_wait(Request request) {
    std::promise<Response> promise;
    auto future = promise.get_future();
    handle(std::move(request), [&promise](Response r) { promise.set_value(std::move(r)); });
    return future.get();
}

}  // namespace api
