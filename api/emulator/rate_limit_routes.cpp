#include <nlohmann/json.hpp>
#include "api/emulator/rate_limit_routes.hpp"

#include "api/emulator/control_errors.hpp"
#include "api/envelope.hpp"
#include "api/json_body.hpp"

namespace api::emulator {
namespace {

nlohmann::json describe(const RateLimitSettings& s) {
    return {{"enabled", s.enabled}, {"quota", s.quota}, {"window_seconds", s.window.count()}};
}

}  // namespace

void add_rate_limit_routes(Router& router, RateLimiter& limiter) {
    router.add(
        "GET", "/_emulator/rate_limit",
        [&limiter](const Request&, Context&) { return success(describe(limiter.settings())); }, Surface::emulator);
    router.add(
        "PUT", "/_emulator/rate_limit",
        [&limiter](const Request& request, Context&) {
            auto body = parse_object_body(request, invalid_control_request);
            for (const auto& [key, _] : body.items())
                if (key != "enabled" && key != "quota" && key != "window_seconds")
                    throw ApiError(invalid_control_request, "unknown field " + key);
            auto settings = limiter.settings();
            settings.enabled = bool_field(body, "enabled", invalid_control_request).value_or(settings.enabled);
            if (auto quota = integer_field(body, "quota", invalid_control_request)) {
                if (*quota < 1) throw ApiError(invalid_control_request, "quota must be at least 1");
                settings.quota = *quota;
            }
            if (auto window = integer_field(body, "window_seconds", invalid_control_request)) {
                if (*window < 1 || *window > 86'400)
                    throw ApiError(invalid_control_request, "window_seconds must be from 1 to 86400");
                settings.window = std::chrono::seconds(*window);
            }
            limiter.configure(settings);
            return success(describe(settings));
        },
        Surface::emulator);
}

}  // namespace api::emulator
