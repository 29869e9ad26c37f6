// The edge's deadline for a visitor connection (server/edge/edge_connection.hpp): one timer for
// the connection's life, moved by each of its steps. What a visitor sees is its connection closed
// when one step (a handshake, headers, a body piece, a write) took longer than its limit, never
// while the edge waits for the origin. Only lower bounds on time are asserted: a slow machine
// closes later, never earlier.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/edge/edge_connection.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ClosedWhen final : public server::edge::VisitorConnection {
public:
    using VisitorConnection::VisitorConnection;
    std::optional<Clock::time_point> closed_at;
    std::function<void()> on_close;

private:
    void close_socket() override {
        if (closed_at) return;
        closed_at = Clock::now();
        on_close();
    }
};

using Step = std::pair<Clock::duration, std::function<void(server::edge::VisitorConnection&)>>;

// Runs each step at its time after the start, on the connection's own thread; how long after the
// start the connection was closed, or nothing if it was still open at `horizon`.
std::optional<Clock::duration> closed_after(const std::vector<Step>& steps, Clock::duration horizon) {
    boost::asio::io_context loop(1);
    server::edge::VisitorConnection::Registry registry;
    auto connection = std::make_shared<ClosedWhen>(loop.get_executor(), registry);
    connection->on_close = [&loop] { loop.stop(); };
    auto start = Clock::now();
    std::vector<std::unique_ptr<boost::asio::steady_timer>> timers;
    for (const auto& [at, step] : steps) {
        timers.push_back(std::make_unique<boost::asio::steady_timer>(loop, start + at));
        timers.back()->async_wait([&connection, &step](boost::system::error_code) { step(*connection); });
    }
    boost::asio::steady_timer end(loop, start + horizon);
    end.async_wait([&loop](boost::system::error_code) { loop.stop(); });
    loop.run();
    if (!connection->closed_at) return std::nullopt;
    return *connection->closed_at - start;
}

auto expire_after(Clock::duration limit) {
    return [limit](server::edge::VisitorConnection& c) { c.expire_after(limit); };
}
void expire_never(server::edge::VisitorConnection& c) { c.expire_never(); }

}  // namespace

TEST_CASE("a visitor connection is closed once a step takes longer than its limit") {
    auto closed = closed_after({{0ms, expire_after(50ms)}}, 3s);
    REQUIRE(closed);
    CHECK(*closed >= 50ms);
}

TEST_CASE("each step of a visitor connection moves its deadline") {
    auto closed = closed_after({{0ms, expire_after(80ms)}, {50ms, expire_after(80ms)}, {100ms, expire_after(80ms)}}, 3s);
    REQUIRE(closed);
    CHECK(*closed >= 180ms);
}

TEST_CASE("a step with a shorter limit than the pending deadline is held to it") {
    // The pending deadline is a minute away: the connection closes within the test's seconds only
    // if the shorter limit re-arms the timer.
    auto closed = closed_after({{0ms, expire_after(60s)}, {20ms, expire_after(30ms)}}, 3s);
    REQUIRE(closed);
    CHECK(*closed >= 50ms);
}

TEST_CASE("no deadline holds while the edge waits for the origin; the visitor's next step has one again") {
    CHECK_FALSE(closed_after({{0ms, expire_after(30ms)}, {10ms, expire_never}}, 300ms));
    auto closed = closed_after({{0ms, expire_after(30ms)}, {10ms, expire_never}, {200ms, expire_after(30ms)}}, 3s);
    REQUIRE(closed);
    CHECK(*closed >= 230ms);
}
