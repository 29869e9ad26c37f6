#pragma once
// One visitor connection as the edge's connection registry sees it: where it is (an unfinished
// TLS handshake, waiting between requests, sending headers, or busy with a request) and a way to
// close it from another thread to make room for a newcomer. Private to server/edge/.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "server/connection_registry.hpp"

namespace server::edge {

class VisitorConnection : public std::enable_shared_from_this<VisitorConnection> {
public:
    // Ranked for shedding, lowest first: the longest idle keep-alive connection, then the oldest
    // unfinished handshake, then the slowest to send its headers. A connection busy with a
    // request (its body, the origin's answer) is never shed.
    enum class Phase : int { idle = 0, handshake = 1, header = 2, busy = 3 };

    using Registry = ConnectionRegistry<VisitorConnection>;

    VisitorConnection(boost::asio::any_io_executor executor, Registry& registry)
        : executor_(std::move(executor)), registry_(registry) {}
    virtual ~VisitorConnection() {
        if (id_) registry_.remove(id_);
    }
    VisitorConnection(const VisitorConnection&) = delete;
    VisitorConnection& operator=(const VisitorConnection&) = delete;

    void enroll() { id_ = registry_.add(shared_from_this()); }

    Phase phase() const { return phase_.load(std::memory_order_relaxed); }
    std::chrono::steady_clock::rep phase_since() const { return since_.load(std::memory_order_relaxed); }
    void set_phase(Phase phase) {
        since_.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
        phase_.store(phase, std::memory_order_relaxed);
    }
    bool being_shed() const { return shedding_.load(); }
    void claim_for_shedding() { shedding_ = true; }
    // On the connection's own thread: closes the socket (its pending read or handshake ends with
    // operation_aborted), unless a request arrived meanwhile.
    void shed();
    // The same, already on the connection's thread (the handshake deadline).
    void shed_now() { close_socket(); }

protected:
    virtual void close_socket() = 0;

private:
    boost::asio::any_io_executor executor_;
    Registry& registry_;
    std::uint64_t id_ = 0;
    std::atomic<Phase> phase_{Phase::idle};
    std::atomic<std::chrono::steady_clock::rep> since_{std::chrono::steady_clock::now().time_since_epoch().count()};
    std::atomic<bool> shedding_{false};
};

}  // namespace server::edge
