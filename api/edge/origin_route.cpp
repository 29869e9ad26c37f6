#include "api/edge/origin_route.hpp"

#include "api/edge/hostname_lookup.hpp"

namespace api::edge {

OriginRoute route_for_host(storage::EdgeRepository& repository, const std::string& host) {
    auto hostname = live_hostname(repository, normalize_host(host));
    if (!hostname) return {};
    if (hostname->custom_origin_server && !hostname->custom_origin_server->empty())
        return {OriginRoute::Outcome::origin, *hostname->custom_origin_server};
    if (auto fallback = repository.fallback_origin(hostname->zone_id)) return {OriginRoute::Outcome::origin, *fallback};
    return {OriginRoute::Outcome::no_origin, {}};
}

}  // namespace api::edge
