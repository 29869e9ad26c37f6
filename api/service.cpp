#include "api/service.hpp"

#include <algorithm>
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

// The answer to the exception being handled; called only inside a catch block.
Response failure_of_current_exception(Context& context, const RequestLabel& label) noexcept {
    try {
        try {
            throw;
        } catch (const ApiError& error) {
            return failure(error);
        } catch (const std::exception& error) {
            context.log(LogLevel::error, "unhandled_exception",
                        {{"request_id", label.request_id},
                         {"method", label.method},
                         {"path", label.path},
                         {"error", error.what()}});
        } catch (...) {
            context.log(LogLevel::error, "unhandled_exception",
                        {{"request_id", label.request_id}, {"method", label.method}, {"path", label.path}});
        }
        return failure(ApiError(gateway_errors::internal));
    } catch (...) {
        // Even building the 500 failed (out of memory); a bare 500 is all that is left.
        Response response;
        response.status = 500;
        return response;
    }
}

}  // namespace

RequestLabel RequestLabel::of(const Request& request) {
    return RequestLabel{request.request_id, request.method, request.path};
}

Response guarded(Context& context, const RequestLabel& label, const std::function<Response()>& produce) noexcept {
    try {
        return produce();
    } catch (...) {
        return failure_of_current_exception(context, label);
    }
}

Service::Service(Context& context) : context_(context) {
    add_custom_csr_routes(router_);
    add_custom_hostname_routes(router_);
    add_fallback_origin_routes(router_);
    add_custom_certificate_routes(router_);
    add_emulator_routes(router_);
    add_emulator_state_routes(router_);
    add_emulator_readiness_routes(router_);
}

void Service::handle(Request request, Completion done) noexcept {
    Responder respond(std::move(done));
    const RequestLabel label = RequestLabel::of(request);
    try {
        RouteMatch match = router_.resolve(request.method, request.path);
        if (!match.route) {
            if (match.allowed_methods.empty()) no_route(request);
            method_not_allowed(match.allowed_methods);
        }
        request.params = std::move(match.params);
        if (match.route->surface == Surface::cloudflare) authenticate(request, context_.auth);
        match.route->handler(request, context_, respond);
    } catch (...) {
        // Thrown before answering, or after answering or passing the completion on: the
        // Responder keeps only the first answer either way.
        respond(failure_of_current_exception(context_, label));
    }
}

Response Service::handle_and_wait(Request request) {
    std::promise<Response> promise;
    auto future = promise.get_future();
    handle(std::move(request), [&promise](Response r) { promise.set_value(std::move(r)); });
    return future.get();
}

}  // namespace api
