#include "server/descriptor_limit.hpp"

#include <algorithm>

#include <sys/resource.h>

namespace server {
namespace {

// The soft RLIMIT_NOFILE; 0 when unknown or unlimited.
std::size_t nofile_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
    return static_cast<std::size_t>(limit.rlim_cur);
}

// Descriptors after the reserve, divided among `shares`; even with a tiny descriptor limit, a few
// connections rather than none.
std::size_t allowed(std::size_t nofile, std::size_t shares) {
    return std::max<std::size_t>(nofile > descriptor_reserve ? (nofile - descriptor_reserve) / shares : 0, 8);
}

}  // namespace

ConnectionLimit connection_limit(std::size_t configured, bool edge_on) {
    std::size_t nofile = nofile_limit();
    if (!nofile) return {configured ? configured : 65'536, 0};
    std::size_t most = allowed(nofile, edge_on ? 2 : 1);
    return {configured ? std::min(configured, most) : most, nofile};
}

ConnectionLimit edge_connection_limit(std::size_t configured) {
    std::size_t nofile = nofile_limit();
    if (!nofile) return {configured ? configured : edge_default_connections, 0};
    std::size_t most = allowed(nofile, 4);
    return {configured ? std::min(configured, most) : std::min(most, edge_default_connections), nofile};
}

}  // namespace server
