#pragma once
// One visitor connection as the edge's connection registry sees it: where it is (an unfinished
// TLS handshake, waiting between requests, sending headers, or busy with a request) and a way to
// close it from another thread to make room for a newcomer; and its one deadline. Private to
// server/edge/.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

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
        : executor_(executor), registry_(registry), timer_(std::move(executor)) {}
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

    // On the connection's thread: the socket closes (what is pending on it ends with
    // operation_aborted) unless the next step is taken within `limit`. Every read and write of the
    // visitor moves this one deadline: a store, and one timer for the connection's whole life that
    // re-arms itself when it fires early. Beast's per-operation deadlines armed and cancelled a
    // timer around every read and write, a timerfd_settime each time it was the loop's earliest:
    // 7 of a full TLS handshake's 35 system calls, 2.3 of a proxied plain request's 9.5.
    void expire_after(std::chrono::steady_clock::duration limit);
    // No deadline of the visitor's while the edge waits for the origin (whose own deadlines are
    // the origin connection's).
    void expire_never() { due_ = std::chrono::steady_clock::time_point::max(); }

protected:
    virtual void close_socket() = 0;

private:
    void wait_for_deadline();

    boost::asio::any_io_executor executor_;
    Registry& registry_;
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::time_point due_ = std::chrono::steady_clock::time_point::max();
    bool waiting_ = false;  // a wait on timer_ is pending, for timer_.expiry()
    std::uint64_t id_ = 0;
    std::atomic<Phase> phase_{Phase::idle};
    std::atomic<std::chrono::steady_clock::rep> since_{std::chrono::steady_clock::now().time_since_epoch().count()};
    std::atomic<bool> shedding_{false};
};

}  // namespace server::edge
