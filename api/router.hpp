#pragma once
// Verb + path-pattern routing. Cloudflare routes answer both under /client/v4 (what SDKs use as
// base URL) and bare (/zones/...); emulator routes live under /_emulator and skip Cloudflare auth.
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http_types.hpp"

namespace api {

struct Context;

using Completion = std::function<void(Response)>;
// Most handlers answer at once; the few that wait for CPU-heavy work (RSA keys) complete later,
// possibly on another thread.
using SyncHandler = std::function<Response(const Request&, Context&)>;
using AsyncHandler = std::function<void(const Request&, Context&, Completion)>;

enum class Surface { cloudflare, emulator };

struct Route {
    std::string method;
    std::vector<std::string> segments;  // literal, or "{name}" for a parameter
    std::variant<SyncHandler, AsyncHandler> handler;
    Surface surface = Surface::cloudflare;
};

struct RouteMatch {
    const Route* route = nullptr;                     // set when path and method match
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed_methods;         // methods of every route matching the path
};

class Router {
public:
    void add(std::string method, std::string_view pattern, SyncHandler handler, Surface surface = Surface::cloudflare);
    void add_async(std::string method, std::string_view pattern, AsyncHandler handler,
                   Surface surface = Surface::cloudflare);

    // No route for the path: allowed_methods empty. Path known, method not: route null.
    RouteMatch resolve(std::string_view method, std::string_view path) const;

    static constexpr std::string_view cloudflare_prefix = "/client/v4";

private:
    void add_route(Route route);
    std::vector<Route> routes_;
};

}  // namespace api
