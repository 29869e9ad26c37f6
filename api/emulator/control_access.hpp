#pragma once
// Who may talk to the API listener, checked before routing:
//
//  - Host: only names this server serves, so a page whose name rebinds to the emulator's
//    address (DNS rebinding) is refused. Allowed: IP literals (v4, [v6]; a browser sends one
//    only for a page loaded from that very address), `localhost` and `*.localhost`, the listen
//    host, and names given with --allowed-host (`*`: any, unsafe). No Host (HTTP/1.0, a
//    raw-socket client) is not a browser and passes. Refused: 421 / 1421.
//  - Origin: a browser names the page that sent the request; a page on another site is refused
//    on every route (403 / 1403), so it can neither change nor read anything. Allowed: the
//    request's own Host (same origin), loopback addresses, `localhost`, `*.localhost`, the listen
//    host and --allowed-host names.
//  - The control plane (/_emulator/…): a configured control token is required on every route
//    but the health checks' and the web console's static files (401 / 1401 without it). In
//    strict mode (--api-token / --api-key) without a control token the control plane is closed
//    (403 / 1403), since it would hand out every zone's private keys to anyone reaching the port.
//  - Requests that change state on the control plane (POST, PUT, PATCH, DELETE) carry JSON
//    only: a cross-site page can send text/plain, form or multipart bodies without a preflight,
//    never application/json. Refused: 415 / 1415.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"

namespace api::emulator {

struct ControlAccessSettings {
    std::optional<std::string> control_token;  // --control-token
    std::vector<std::string> allowed_hosts;    // --allowed-host NAME (repeatable); "*" allows any
    std::string listen_host;                   // the API listener's host (--listen)
};

// The header a client sends the control token in: `Authorization: Bearer <token>`.
inline constexpr std::string_view control_token_scheme = "Bearer";

class ControlAccess {
public:
    ControlAccess() = default;  // permissive: no token, IP literals and localhost only
    explicit ControlAccess(ControlAccessSettings settings);

    // Every request of the API listener, before routing. `strict_auth`: --api-token/--api-key
    // configured. Throws ApiError with the refusal's envelope.
    void check(const Request& request, bool strict_auth) const;

    // The parts, for tests and for callers that need one rule.
    bool host_allowed(std::string_view host_header) const;
    bool origin_allowed(std::string_view origin, std::optional<std::string_view> host_header) const;
    bool has_control_token() const noexcept { return settings_.control_token.has_value(); }

private:
    bool name_allowed(std::string_view host) const;

    ControlAccessSettings settings_;
    bool any_host_ = false;
};

// Paths of the control plane: "/_emulator" and everything under it.
bool is_control_path(std::string_view path) noexcept;

// "application/json" or "application/json; charset=utf-8" (case-insensitive type).
bool is_json_content_type(std::string_view value) noexcept;

}  // namespace api::emulator
