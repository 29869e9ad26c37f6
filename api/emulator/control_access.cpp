#include "api/emulator/control_access.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "api/emulator/console_routes.hpp"
#include "api/emulator/control_errors.hpp"

namespace api::emulator {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The host of an authority ("name", "name:port", "[v6]", "[v6]:port"), lower case and without a
// trailing dot ("localhost." is localhost); nullopt when it is not an authority at all (a bare
// IPv6 address, a bad port, an empty name).
std::optional<std::string> host_of_authority(std::string_view authority) {
    std::string_view host, rest;
    if (authority.starts_with('[')) {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        rest = authority.substr(close + 1);
        std::string text(host);
        unsigned char buffer[16];
        if (inet_pton(AF_INET6, text.c_str(), buffer) != 1) return std::nullopt;
    } else {
        auto colon = authority.find(':');
        host = authority.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    }
    if (!rest.empty() && (rest.front() != ':' || !all_digits(rest.substr(1)))) return std::nullopt;
    if (host.ends_with('.')) host.remove_suffix(1);
    if (host.empty()) return std::nullopt;
    return lower(host);
}

bool is_ip_literal(const std::string& host) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

bool is_loopback(const std::string& host) {
    unsigned char v4[4];
    if (inet_pton(AF_INET, host.c_str(), v4) == 1) return v4[0] == 127;
    unsigned char v6[16];
    if (inet_pton(AF_INET6, host.c_str(), v6) != 1) return false;
    return std::all_of(v6, v6 + 15, [](unsigned char b) { return b == 0; }) && v6[15] == 1;
}

// RFC 6761: localhost and every name under it are loopback; resolvers must not ask the network.
bool is_localhost_name(std::string_view host) { return host == "localhost" || host.ends_with(".localhost"); }

bool is_wildcard_address(std::string_view host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

// Constant time in the secret's length, so the answer's timing tells nothing of how much matched.
bool same_secret(std::string_view given, std::string_view expected) {
    unsigned char differ = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i)
        differ |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
    return differ == 0;
}

std::optional<std::string_view> bearer_of(const Request& request) {
    auto authorization = request.header("Authorization");
    if (!authorization) return std::nullopt;
    std::string_view value = *authorization;
    if (value.size() <= control_token_scheme.size() + 1 ||
        !iequals(value.substr(0, control_token_scheme.size()), control_token_scheme) ||
        value[control_token_scheme.size()] != ' ')
        return std::nullopt;
    return value.substr(control_token_scheme.size() + 1);
}

// What the health checks need stays open in every mode: the `healthcheck` subcommand, the
// image's HEALTHCHECK and orchestrators' probes carry no credential.
bool is_health_path(std::string_view path) { return path == "/_emulator/health" || path == "/_emulator/ready"; }

bool changes_state(std::string_view method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// POST /_emulator/ca/sign takes a CSR as PEM (curl --data-binary) and changes nothing: it signs
// and answers, which a cross-site page could not read. The JSON rule would only break its callers.
bool takes_any_body(std::string_view path) { return path == "/_emulator/ca/sign"; }

std::string quoted(std::string_view text) {
    constexpr std::size_t shown = 200;  // a refused header is echoed, never a whole megabyte of it
    return "'" + std::string(text.substr(0, shown)) + (text.size() > shown ? "...'" : "'");
}

}  // namespace

bool is_control_path(std::string_view path) noexcept {
    return path == "/_emulator" || path.starts_with("/_emulator/");
}

bool is_json_content_type(std::string_view value) noexcept {
    auto type = value.substr(0, value.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    return iequals(type, "application/json");
}

ControlAccess::ControlAccess(ControlAccessSettings settings) : settings_(std::move(settings)) {
    for (auto& name : settings_.allowed_hosts) {
        name = lower(name);
        if (name.ends_with('.')) name.pop_back();
        if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
        any_host_ = any_host_ || name == "*";
    }
    settings_.listen_host = lower(settings_.listen_host);
}

bool ControlAccess::name_allowed(std::string_view host) const {
    if (any_host_ || is_localhost_name(host)) return true;
    if (!is_wildcard_address(settings_.listen_host) && host == settings_.listen_host) return true;
    return std::find(settings_.allowed_hosts.begin(), settings_.allowed_hosts.end(), host) !=
           settings_.allowed_hosts.end();
}

bool ControlAccess::host_allowed(std::string_view host_header) const {
    if (any_host_ || host_header.empty()) return true;
    auto host = host_of_authority(host_header);
    if (!host) return false;
    // An IP literal cannot be rebound: the page that sends it was loaded from that address.
    return is_ip_literal(*host) || name_allowed(*host);
}

bool ControlAccess::origin_allowed(std::string_view origin, std::optional<std::string_view> host_header) const {
    if (any_host_) return true;
    auto scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return false;  // "null": a sandboxed or file page
    auto scheme = lower(origin.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https") return false;
    auto authority = origin.substr(scheme_end + 3);
    if (host_header && !host_header->empty() && iequals(authority, *host_header)) return true;  // same origin
    auto host = host_of_authority(authority);
    if (!host) return false;
    // Unlike in Host, an IP literal here is any site's page: only loopback ones are this machine,
    // others only when they are the listen address or named with --allowed-host.
    return is_loopback(*host) || name_allowed(*host);
}

void ControlAccess::check(const Request& request, bool strict_auth) const {
    auto host = request.header("Host");
    if (host && !host_allowed(*host))
        throw ApiError(host_not_served,
                       "This server does not answer for host " + quoted(*host) +
                           " (a guard against DNS rebinding): reach it by IP address or localhost, or allow the "
                           "name with --allowed-host NAME (CSR_EMULATOR_ALLOWED_HOSTS)");
    if (auto origin = request.header("Origin"); origin && !origin_allowed(*origin, host))
        throw ApiError(cross_origin_refused,
                       "Cross-origin request refused: Origin " + quoted(*origin) +
                           " is not an allowed host; a page may call the emulator only from its own origin, "
                           "localhost or a name given with --allowed-host NAME (CSR_EMULATOR_ALLOWED_HOSTS)");
    if (!is_control_path(request.path)) return;

    // The console's static files hold nothing to protect; what the page then reads needs the token.
    if (!is_health_path(request.path) && !is_console_path(request.path)) {
        if (settings_.control_token) {
            auto token = bearer_of(request);
            if (!token || !same_secret(*token, *settings_.control_token))
                throw ApiError(control_credential_required.status,
                               {ErrorItem{control_credential_required.code,
                                          std::string(control_credential_required.message),
                                          {}}},
                               {{"WWW-Authenticate", "Bearer realm=\"csr-emulator control plane\""}});
        } else if (strict_auth) {
            throw ApiError(control_plane_closed);
        }
    }

    if (changes_state(request.method) && !takes_any_body(request.path)) {
        auto type = request.header("Content-Type");
        if (type ? !is_json_content_type(*type) : !request.body.empty())
            throw ApiError(control_needs_json,
                           std::string("The control plane accepts only JSON on requests that change state: send "
                                       "Content-Type: application/json (") +
                               (type ? "got " + quoted(*type) : std::string("a body came without a Content-Type")) +
                               ")");
    }
}

}  // namespace api::emulator
