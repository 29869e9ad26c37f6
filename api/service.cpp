#include "api/service.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "api/emulator/control_plane.hpp"
#include "api/emulator/gateway_fidelity.hpp"
#include "api/emulator/redaction.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/guarded.hpp"
#include "api/notifications/alerting_routes.hpp"
#include "api/routes.hpp"

namespace api {
namespace {

using emulator::GatewayStyle;

// An unknown path. Current gateway: 404 with one error, 10404 "No route for that URI". The
// older one (--gateway-errors legacy): 400 with 7003 naming the path, then 7000.
[[noreturn]] void no_route(const Request& request, GatewayStyle style) {
    if (style == GatewayStyle::current) throw ApiError(gateway_errors::unknown_route);
    const auto& first = gateway_errors::could_not_route;
    const auto& second = gateway_errors::no_route;
    std::string path = request.path.starts_with(Router::cloudflare_prefix) || request.path.starts_with("/_emulator")
                           ? request.path
                           : std::string(Router::cloudflare_prefix) + request.path;
    throw ApiError(400, {ErrorItem{first.code, fill(first.message, path), {}},
                         ErrorItem{second.code, std::string(second.message), {}}});
}

// The route's template as registered ("/zones/{zone_id}/custom_csrs"), for metrics labels.
std::string template_of(const Route& route) {
    std::string out;
    for (const auto& segment : route.segments) out += "/" + segment;
    return out.empty() ? "/" : out;
}

// The secret that identifies the caller for rate limiting and token scopes: the bearer token
// if any, else the global key.
std::pair<std::string, std::string> credential_of(const Request& request) {
    if (auto authorization = request.header("Authorization"); authorization && authorization->size() > 7)
        return {"api_token", std::string(authorization->substr(7))};
    if (auto key = request.header("X-Auth-Key")) return {"api_key", std::string(*key)};
    if (auto key = request.header("X-Auth-User-Service-Key")) return {"service_key", std::string(*key)};
    return {"none", ""};
}

std::string zone_of(const Request& request) {
    auto it = request.params.find("zone_id");
    return it == request.params.end() ? std::string() : it->second;
}

[[noreturn]] void method_not_allowed(std::vector<std::string> allowed) {
    std::sort(allowed.begin(), allowed.end());
    std::string allow;
    for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    const auto& spec = gateway_errors::method_not_allowed;
    throw ApiError(spec.status, {ErrorItem{spec.code, std::string(spec.message), {}}}, {{"Allow", allow}});
}

}  // namespace

Service::Service(Context& context)
    : context_(context),
      owned_control_(std::make_unique<emulator::ControlPlane>(emulator::ControlPlaneSettings{})),
      control_(*owned_control_) {
    add_routes();
}

Service::Service(Context& context, emulator::ControlPlane& control) : context_(context), control_(control) {
    add_routes();
}

Service::~Service() = default;

void Service::add_routes() {
    add_emulator_routes(router_, control_);
    add_custom_csr_routes(router_);
    add_custom_hostname_routes(router_);
    add_fallback_origin_routes(router_);
    add_custom_certificate_routes(router_);
    add_zone_routes(router_);
    add_origin_ca_routes(router_);
    notifications::add_alerting_routes(router_);
    notifications::add_notification_routes(router_);
    add_certificate_pack_routes(router_);
    add_ssl_verification_routes(router_);
    add_certificate_pack_manual_routes(router_);
}

void Service::handle(Request incoming, Completion done) noexcept {
    const RequestLabel label = RequestLabel::of(incoming);
    std::shared_ptr<Request> request;
    try {
        request = std::make_shared<Request>(std::move(incoming));
    } catch (...) {
        Response bare;
        bare.status = 500;
        done(std::move(bare));
        return;
    }
    const TimePoint arrived = context_.now();
    const auto started = std::chrono::steady_clock::now();
    // Set before the handler runs, read by the completion (which may run on another thread).
    auto route_name = std::make_shared<std::string>("unmatched");
    auto extra_headers = std::make_shared<HeaderList>();
    Responder respond([this, request, arrived, started, route_name, extra_headers,
                       done = std::move(done)](Response response) mutable {
        try {
            for (const auto& header : *extra_headers)
                if (!response.header(header.first)) response.headers.push_back(header);
            if (!response.header("Date")) response.headers.emplace_back("Date", http_date(context_.now()));
            auto duration =
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
            // The control plane's own requests (journal reads, clock changes) stay out of the
            // journal, so a test reading it sees only what its client did; metrics count them.
            if (request->path.starts_with("/_emulator"))
                control_.metrics.observe(request->method, *route_name, response.status, duration);
            else
                control_.observe(*request, response, *route_name, arrived, duration);
        } catch (...) {
            // The journal and metrics are for the test's eyes; the client still gets its answer.
        }
        done(std::move(response));
    });
    try {
        // Before routing: a refused Host, Origin or control credential learns nothing of the routes.
        control_.access.check(*request, context_.auth.strict());
        RouteMatch match = router_.resolve(request->method, request->path);
        if (!match.route) {
            // Only a bad zone or account id (an empty one, say) kept the path from a route: the
            // gateway's 7003 for a bad id, as on a route that matched.
            if (auto probe = emulator::with_valid_identifier(request->path);
                probe && !request->path.starts_with("/_emulator")) {
                RouteMatch valid = router_.resolve(request->method, *probe);
                if (valid.route || !valid.allowed_methods.empty())
                    emulator::throw_could_not_route(request->path, control_.gateway_style);
            }
            if (match.allowed_methods.empty()) no_route(*request, control_.gateway_style);
            method_not_allowed(match.allowed_methods);
        }
        request->params = std::move(match.params);
        *route_name = template_of(*match.route);
        if (match.route->surface == Surface::cloudflare) {
            emulator::check_object_identifiers(*request, control_.gateway_style);
            if (route_name->starts_with("/certificates")) authenticate_origin_ca(*request, context_.auth);
            else authenticate(*request, context_.auth);
            auto [kind, secret] = credential_of(*request);
            if (kind == "api_token" && !control_.token_scopes.allows(secret, zone_of(*request)))
                throw ApiError(gateway_errors::authentication_error);
            if (control_.rate_limiter.enabled()) {
                auto decision = control_.rate_limiter.check(emulator::credential_key(kind, secret), context_.now());
                if (!decision.allowed) {
                    respond(emulator::rate_limited_response(decision));
                    return;
                }
                *extra_headers = emulator::rate_limit_headers(decision);
            }
            if (auto fault = control_.faults.decide(request->method, request->path, zone_of(*request))) {
                using Kind = emulator::FaultAction::Kind;
                if (fault->kind == Kind::respond) {
                    respond(emulator::fault_response(*fault));
                    return;
                }
                if (fault->kind == Kind::drop) {
                    Response dropped;
                    dropped.status = 0;  // the journal shows 0: nothing was answered
                    dropped.drop_connection = true;
                    respond(std::move(dropped));
                    return;
                }
                // A delay: the handler runs later from a timer; this thread goes back to its sockets.
                const Route* route = match.route;
                context_.after(fault->delay, [this, request, route, respond, label]() noexcept {
                    try {
                        route->handler(*request, context_, respond);
                    } catch (...) {
                        respond(failure_of_current_exception(context_, label));
                    }
                });
                return;
            }
        }
        match.route->handler(*request, context_, respond);
    } catch (...) {
        // Thrown before answering, or after answering or passing the completion on: the
        // Responder keeps only the first answer either way.
        respond(failure_of_current_exception(context_, label));
    }
}

void Service::shutting_down() { context_.keys.hurry(); }

Response Service::handle_and_wait(Request request) {
    std::promise<Response> promise;
    auto future = promise.get_future();
    handle(std::move(request), [&promise](Response r) { promise.set_value(std::move(r)); });
    return future.get();
}

}  // namespace api
