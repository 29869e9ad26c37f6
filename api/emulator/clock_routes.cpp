#include <nlohmann/json.hpp>
#include "api/emulator/clock_routes.hpp"

#include "api/emulator/control_errors.hpp"
#include "api/time_text.hpp"
#include "api/envelope.hpp"
#include "api/json_body.hpp"

namespace api::emulator {
namespace {

nlohmann::json describe(const Clock& clock) {
    auto offset = std::chrono::duration_cast<std::chrono::milliseconds>(clock.offset()).count();
    return {{"now", rfc3339_micros(clock.now())}, {"offset_seconds", static_cast<double>(offset) / 1000.0}};
}

std::chrono::milliseconds advance_of(const nlohmann::json& value) {
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
        if (auto d = parse_duration(std::to_string(value.get<std::int64_t>()))) return *d;
    if (value.is_string())
        if (auto d = parse_duration(value.get<std::string>())) return *d;
    throw ApiError(invalid_control_request,
                   "advance must be a duration such as \"90d\", \"36h\", \"15m\", \"30s\" or whole seconds, not negative");
}

[[noreturn]] void out_of_range(const std::string& what) {
    throw ApiError(invalid_control_request,
                   what + ": the clock holds instants " + std::string(instant_range_text));
}

Response update(const Request& request, Clock& clock) {
    auto body = parse_object_body(request, invalid_control_request);
    // Read everything before changing anything: a bad "advance" must not leave "now" applied.
    std::optional<TimePoint> instant;
    if (auto text = string_field(body, "now", invalid_control_request)) {
        instant = parse_rfc3339(*text);
        if (!instant)
            throw ApiError(invalid_control_request,
                           "now must be an RFC 3339 time " + std::string(instant_range_text) +
                               ", with an offset of at most 23:59 either way, e.g. \"2027-01-01T00:00:00Z\"");
    }
    std::optional<std::chrono::milliseconds> advance;
    if (body.contains("advance")) advance = advance_of(body["advance"]);
    bool reset = bool_field(body, "reset", invalid_control_request).value_or(false);
    if (!instant && !advance && !reset)
        throw ApiError(invalid_control_request, "send \"now\", \"advance\" or \"reset\": true");
    if (!instant && !reset) {
        // Relative to whatever the clock reads when it applies: concurrent advances add up.
        if (!clock.advance(*advance)) out_of_range("advance " + body["advance"].dump() + " would take the clock past 2199");
        return success(describe(clock));
    }
    if (!instant && !advance) {
        clock.reset();
        return success(describe(clock));
    }
    // One target, checked before it is applied: "now" (or real time after a reset) plus "advance".
    TimePoint target = instant ? *instant : clock.now() - clock.offset();
    if (advance) {
        if (*advance > std::chrono::duration_cast<std::chrono::milliseconds>(latest_instant() - target))
            out_of_range("advance " + body["advance"].dump() + " from " + rfc3339_seconds(target) + " would pass 2199");
        target += *advance;
    }
    if (!clock.set(target)) out_of_range(rfc3339_seconds(target) + " is out of range");
    return success(describe(clock));
}

}  // namespace

void add_clock_routes(Router& router, Clock& clock) {
    router.add("GET", "/_emulator/clock", [&clock](const Request&, Context&) { return success(describe(clock)); },
               Surface::emulator);
    router.add("POST", "/_emulator/clock", [&clock](const Request& r, Context&) { return update(r, clock); },
               Surface::emulator);
}

}  // namespace api::emulator
