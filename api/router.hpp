#pragma once
// Verb + path-pattern routing. Cloudflare routes answer both under /client/v4 (what SDKs use as
// base URL) and bare (/zones/...); emulator routes live under /_emulator and skip Cloudflare auth.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"
#include "api/responder.hpp"

namespace api {

struct Context;

// Every route has this one shape: answer through `done`, now or later from any thread (a key
// worker, a DNS or HTTP reply, a timer). The request and context references are only valid
// during the call; a handler that answers later copies what it needs. Throwing instead of
// answering is fine: Service answers with the error (see Responder).
using Handler = std::function<void(const Request&, Context&, Completion done)>;
// Most handlers answer at once; Router::add wraps them into a Handler.
using SyncHandler = std::function<Response(const Request&, Context&)>;

enum class Surface { cloudflare, emulator };

struct Route {
    std::string method;
    std::vector<std::string> segments;  // literal, or "{name}" for a parameter
    Handler handler;
    Surface surface = Surface::cloudflare;
};

struct RouteMatch {
    const Route* route = nullptr;                     // set when path and method match
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed_methods;         // methods of every route matching the path
};

class Router {
public:
    void add(std::string method, std::string_view pattern, Handler handler, Surface surface = Surface::cloudflare);
    void add(std::string method, std::string_view pattern, SyncHandler handler, Surface surface = Surface::cloudflare);

    // No route for the path: allowed_methods empty. Path known, method not: route null.
    RouteMatch resolve(std::string_view method, std::string_view path) const;

    static constexpr std::string_view cloudflare_prefix = "/client/v4";

private:
    std::vector<Route> routes_;
};

}  // namespace api
