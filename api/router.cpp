#include "api/router.hpp"

#include <algorithm>

#include "api/query.hpp"

namespace api {
namespace {

// The path's segments, viewing `path` (a request's are only compared: no copies per request).
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    segments.reserve(8);
    if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // "/custom_csrs/" == "/custom_csrs"
    if (path.empty() || path.front() != '/') return segments;
    path.remove_prefix(1);
    while (true) {
        auto slash = path.find('/');
        segments.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

bool is_parameter(const std::string& segment) { return segment.size() > 2 && segment.front() == '{'; }

// Number of literal segments matched, or -1 when the pattern does not match.
int match(const Route& route, const std::vector<std::string_view>& segments,
          std::map<std::string, std::string, std::less<>>* params) {
    if (route.segments.size() != segments.size()) return -1;
    int literals = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& pattern = route.segments[i];
        if (is_parameter(pattern)) {
            if (segments[i].empty()) return -1;
            if (params) (*params)[pattern.substr(1, pattern.size() - 2)] = percent_decode(segments[i]);
        } else if (pattern == segments[i]) {
            ++literals;
        } else {
            return -1;
        }
    }
    return literals;
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, Handler handler, Surface surface) {
    std::vector<std::string> segments;
    for (auto segment : split_path(pattern)) segments.emplace_back(segment);
    routes_.push_back(Route{std::move(method), std::move(segments), std::move(handler), surface});
}

void Router::add(std::string method, std::string_view pattern, SyncHandler handler, Surface surface) {
    add(std::move(method), pattern,
        Handler([handler = std::move(handler)](const Request& request, Context& context, Completion done) {
            done(handler(request, context));
        }),
        surface);
}

RouteMatch Router::resolve(std::string_view method, std::string_view path) const {
    std::vector<std::string_view> bare = split_path(path);
    // "/client/v4/zones/..." is the same route as "/zones/..." (Cloudflare surface only).
    std::vector<std::string_view> unprefixed;
    bool prefixed = path.starts_with(cloudflare_prefix) &&
                    (path.size() == cloudflare_prefix.size() || path[cloudflare_prefix.size()] == '/');
    if (prefixed) unprefixed = split_path(path.substr(cloudflare_prefix.size()));

    RouteMatch result;
    int best = -1;
    for (const Route& route : routes_) {
        const auto& segments = (prefixed && route.surface == Surface::cloudflare) ? unprefixed : bare;
        int literals = match(route, segments, nullptr);
        if (literals < 0) continue;
        if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
            result.allowed_methods.end())
            result.allowed_methods.push_back(route.method);
        // The most literal pattern wins: PUT .../custom_certificates/prioritize over .../{id}.
        if (route.method == method && literals > best) {
            best = literals;
            result.route = &route;
        }
    }
    if (result.route) {
        const auto& segments = (prefixed && result.route->surface == Surface::cloudflare) ? unprefixed : bare;
        match(*result.route, segments, &result.params);
    }
    return result;
}

}  // namespace api
