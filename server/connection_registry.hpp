#pragma once
// The live connections of one listener (the API's sessions, the edge's visitor connections):
// shutdown closes idle ones and waits for busy ones, and at the connection limit the one that
// matters least makes room for a newcomer. Private to server/.
//
// A Connection provides, thread-safely (the registry calls from any thread):
//   Phase phase() const;  an enum whose order ranks connections for shedding, lowest first,
//                          with a member `busy` that is never shed
//   steady_clock::rep phase_since() const;
//   bool being_shed() const;  void claim_for_shedding();
//   void shed();              close on the connection's own executor, unless it became busy
//   void request_shutdown();  close now when not busy, else after the current answer
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace server {

template <class Connection>
class ConnectionRegistry {
public:
    ConnectionRegistry() = default;
    ConnectionRegistry(const ConnectionRegistry&) = delete;
    ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;
    // Aborts if a connection is still registered: its destructor would then use a destroyed
    // registry (the io_context, which owns the last connections, must go first).
    ~ConnectionRegistry();

    std::uint64_t add(const std::shared_ptr<Connection>& connection);
    void remove(std::uint64_t id);
    std::size_t size();
    void shutdown_all();  // idle connections close now, busy ones after their response

    // Closes one connection that is not busy: the lowest phase first, and within a phase the one
    // that has been in it longest (for the API: the longest idle, then the slowest to send its
    // headers, then its body; for the edge: the longest idle, then the oldest unfinished TLS
    // handshake, then the slowest headers). False when every connection is busy.
    bool shed_one();

private:
    std::mutex mutex_;
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
};

// Defined out of the class (so not inline): a listener whose Connection type is private to one
// file declares `extern template class ConnectionRegistry<X>;` and instantiates it there, where
// X is complete.
template <class Connection>
ConnectionRegistry<Connection>::~ConnectionRegistry() {
    if (connections_.empty()) return;
    std::fputs("csr-emulator: connection registry destroyed before its connections\n", stderr);
    std::abort();
}

template <class Connection>
std::uint64_t ConnectionRegistry<Connection>::add(const std::shared_ptr<Connection>& connection) {
    std::lock_guard guard(mutex_);
    std::uint64_t id = next_id_++;
    connections_.emplace(id, connection);
    return id;
}

template <class Connection>
void ConnectionRegistry<Connection>::remove(std::uint64_t id) {
    std::lock_guard guard(mutex_);
    connections_.erase(id);
}

template <class Connection>
std::size_t ConnectionRegistry<Connection>::size() {
    std::lock_guard guard(mutex_);
    return connections_.size();
}

template <class Connection>
void ConnectionRegistry<Connection>::shutdown_all() {
    std::vector<std::shared_ptr<Connection>> live;
    {
        std::lock_guard guard(mutex_);
        for (auto& [id, weak] : connections_)
            if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
    for (auto& connection : live) connection->request_shutdown();
}

// Not checked by UBSan's vptr sanitizer: its first check of a (static, dynamic) type pair opens a
// pipe to probe the vtable, and this runs exactly when the process has no descriptor left, so the
// probe fails and UBSan reports a live connection's valid vptr as invalid.
template <class Connection>
#if defined(__GNUC__)
__attribute__((no_sanitize("vptr")))
#endif
bool ConnectionRegistry<Connection>::shed_one() {
    std::shared_ptr<Connection> victim;
    // Every connection looked at stays owned here until the lock is released: one whose own
    // coroutine or handler ended meanwhile is destroyed when its last owner lets go, and its
    // destructor calls remove(), which would wait forever on the lock this thread holds.
    std::vector<std::shared_ptr<Connection>> looked_at;
    {
        std::lock_guard guard(mutex_);
        looked_at.reserve(connections_.size());
        using Rank = std::pair<int, std::chrono::steady_clock::rep>;  // (phase, since): lowest goes first
        Rank best{static_cast<int>(Connection::Phase::busy), 0};
        for (auto& [id, weak] : connections_) {
            auto connection = weak.lock();
            if (!connection) continue;
            looked_at.push_back(connection);
            if (connection->being_shed() || connection->phase() == Connection::Phase::busy) continue;
            Rank rank{static_cast<int>(connection->phase()), connection->phase_since()};
            if (!victim || rank < best) {
                victim = std::move(connection);
                best = rank;
            }
        }
        // Claimed under the lock, so two newcomers never pick the same connection.
        if (victim) victim->claim_for_shedding();
    }
    if (!victim) return false;
    victim->shed();
    return true;
}

}  // namespace server
