#include "server/descriptor_limit.hpp"

#include <algorithm>

#include <sys/resource.h>

namespace server {

ConnectionLimit connection_limit(std::size_t configured) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return {configured ? configured : 65'536, 0};
    auto nofile = static_cast<std::size_t>(limit.rlim_cur);
    // Even with a tiny descriptor limit, serve a few connections rather than none.
    std::size_t allowed = std::max<std::size_t>(nofile > descriptor_reserve ? nofile - descriptor_reserve : 0, 8);
    return {configured ? std::min(configured, allowed) : allowed, nofile};
}

}  // namespace server
