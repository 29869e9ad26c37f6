#pragma once
// Where a request the edge accepted goes: the custom hostname's custom_origin_server, else its
// zone's fallback origin.
#include <optional>
#include <string>

#include "storage/edge_repository.hpp"

namespace api::edge {

struct OriginRoute {
    enum class Outcome {
        origin,        // forward to `origin`
        no_hostname,   // no live custom hostname for the Host: nothing to route
        no_origin      // live hostname, but no custom origin and no fallback origin (Cloudflare's 1016)
    };
    Outcome outcome = Outcome::no_hostname;
    std::string origin;  // a host name or IP literal
};

OriginRoute route_for_host(storage::EdgeRepository& repository, const std::string& host);

}  // namespace api::edge
