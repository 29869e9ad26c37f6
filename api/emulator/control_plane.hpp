#pragma once
// The control plane's long-lived objects in one place, built once from the settings the server
// reads (flags / CSR_EMULATOR_* variables), so Service and Context can take one reference.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "api/emulator/clock.hpp"
#include "api/emulator/control_access.hpp"
#include "api/emulator/faults.hpp"
#include "api/emulator/gateway_fidelity.hpp"
#include "api/emulator/id_source.hpp"
#include "api/emulator/journal.hpp"
#include "api/emulator/metrics.hpp"
#include "api/emulator/rate_limit.hpp"
#include "api/emulator/token_scopes.hpp"
#include "api/http_types.hpp"
#include "api/router.hpp"

namespace api {
struct Context;
}

namespace api::emulator {

struct ControlPlaneSettings {
    std::optional<std::uint64_t> seed;          // --seed: ids and fault dice replay
    std::optional<TimePoint> start_time;        // --clock-start
    std::size_t journal_capacity = 1000;        // --journal-size
    std::size_t journal_bytes = JournalLimits{}.max_bytes;            // --journal-bytes
    std::size_t journal_body_limit = JournalLimits{}.max_body_bytes;  // --journal-body-limit
    RateLimitSettings rate_limit;               // --rate-limit, --rate-limit-quota, --rate-limit-window
    GatewayStyle gateway_style = GatewayStyle::current;  // --gateway-errors current|legacy
    ControlAccessSettings access;               // --control-token, --allowed-host, --listen's host
};

class ControlPlane {
public:
    explicit ControlPlane(const ControlPlaneSettings& settings);

    Clock clock;
    IdSource ids;
    Journal journal;
    FaultRules faults;
    RateLimiter rate_limiter;
    Metrics metrics;
    TokenScopes token_scopes;
    const GatewayStyle gateway_style;
    const ControlAccess access;  // Host, Origin, control token and JSON-only rules

    // After a request is answered: one journal entry and one metrics observation.
    // `route` is the matched route's template ("/zones/{zone_id}/custom_csrs"), or "unmatched".
    void observe(const Request& request, const Response& response, std::string_view route, TimePoint started,
                 std::chrono::microseconds duration);
};

// Points the context's clock and id source at the control plane (so created_at, validity checks,
// signed certificates and every id follow /_emulator/clock and --seed) and adds the gauges that
// read the context: key pool ready/waiting and rows per table.
void attach(ControlPlane& control, Context& context);

// Every control-plane route that needs these objects: clock, journal, faults, rate limit, metrics.
void add_control_plane_routes(Router& router, ControlPlane& control);

}  // namespace api::emulator
