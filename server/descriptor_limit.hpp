#pragma once
// How many connections the process can hold open: each takes a file descriptor, and running out
// of descriptors stalls accepting for everyone, so the limit stays below RLIMIT_NOFILE.
#include <cstddef>

namespace server {

// Descriptors kept for everything that is not a client connection: the listening socket, the
// SQLite database with its WAL and shared-memory files (and temporary files), the io_context's
// epoll/eventfd/timerfd, the signal pipe, stdio, CA and trust-bundle files read at start.
constexpr std::size_t descriptor_reserve = 64;

struct ConnectionLimit {
    std::size_t limit;   // what the server enforces
    std::size_t nofile;  // the soft RLIMIT_NOFILE read at start (0: unknown)
};

// The API listener's limit. configured: 0 means "as many as descriptors allow"; a larger value
// than that is lowered. With the edge on, the API gets half of the descriptors (edge_on).
ConnectionLimit connection_limit(std::size_t configured, bool edge_on = false);

// The edge's visitor connections: the other half, each connection counting twice (the visitor's
// socket and its origin's), so a quarter; by default at most edge_default_connections (a memory
// bound: see server/edge/visitor_exchange.cpp).
constexpr std::size_t edge_default_connections = 1024;
ConnectionLimit edge_connection_limit(std::size_t configured);

}  // namespace server
