#include "server/edge/origin_connection.hpp"
#include "server/asio_names.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <list>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include "api/edge/hostname_lookup.hpp"

namespace server::edge {
namespace {

using tcp = net::ip::tcp;
using api::edge::EdgeFailure;

// Idle origin connections of one edge thread, oldest first. A thread's connections all run on
// its own io_context, so a pooled stream is reused only on the loop it belongs to; no lock.
constexpr std::size_t pool_limit = 32;            // per edge thread
constexpr std::chrono::seconds pool_idle_limit{30};  // then closed when next looked at
constexpr std::size_t keep_capacity = 8 * 1024;      // read-ahead buffer kept between answers

struct IdleOrigin {
    std::string host;
    beast::tcp_stream stream;
    std::chrono::steady_clock::time_point since;
};

struct ThreadPool {
    bool enabled = false;
    std::list<IdleOrigin> idle;
};

ThreadPool& thread_pool() {
    thread_local ThreadPool pool;
    return pool;
}

// Whether an idle connection is still usable: nothing to read yet (EAGAIN). Closed by the origin
// (0), or sending unasked: not reused.
bool still_open(beast::tcp_stream& stream) {
    char byte;
    ssize_t n = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

void OriginConnection::enable_thread_pool() { thread_pool().enabled = true; }

void OriginConnection::close_thread_pool() {
    auto& pool = thread_pool();
    pool.enabled = false;
    pool.idle.clear();
}

OriginConnection::~OriginConnection() {
    auto& pool = thread_pool();
    // Only from the loop's own thread (not from the io_context's destruction at stop).
    if (!pool.enabled || !stream_ || !idle_ || buffer_.size() != 0) return;
    if (pool.idle.size() >= pool_limit) pool.idle.pop_front();
    stream_->expires_never();
    pool.idle.push_back(IdleOrigin{connected_to_, std::move(*stream_), std::chrono::steady_clock::now()});
    stream_.reset();
}

net::awaitable<std::optional<EdgeFailure>> OriginConnection::open(Shared& shared, const std::string& origin_host) {
    std::string name = api::edge::normalize_host(origin_host);
    reused_ = stream_ && connected_to_ == name;
    idle_ = false;
    if (reused_) co_return std::nullopt;
    close();
    // An idle one from the thread's pool, newest first; expired or closed ones go.
    auto& pool = thread_pool();
    auto now = std::chrono::steady_clock::now();
    while (!pool.idle.empty() && now - pool.idle.front().since > pool_idle_limit) pool.idle.pop_front();
    for (auto it = pool.idle.rbegin(); it != pool.idle.rend(); ++it) {
        if (it->host != name) continue;
        auto taken = std::prev(it.base());
        bool usable = still_open(taken->stream);
        if (usable) stream_.emplace(std::move(taken->stream));
        pool.idle.erase(taken);
        if (!usable) break;  // the origin closed it: likely its older ones too, connect anew
        connected_to_ = name;
        reused_ = true;
        co_return std::nullopt;
    }
    auto override_ip = shared.resolve.find(name);
    const std::string& target = override_ip != shared.resolve.end() ? override_ip->second : origin_host;

    boost::system::error_code ec;
    tcp::resolver resolver(executor_);
    auto endpoints = co_await resolver.async_resolve(target, std::to_string(shared.settings.origin_port),
                                                     net::redirect_error(net::use_awaitable, ec));
    if (ec || endpoints.empty()) co_return EdgeFailure::origin_unreachable;

    stream_.emplace(executor_);
    stream_->expires_after(shared.settings.connect_timeout);
    co_await stream_->async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
    if (!ec) {
        // The request's headers and body are separate writes: not held back for the origin's ACK.
        stream_->socket().set_option(tcp::no_delay(true), ec);
        connected_to_ = name;
        co_return std::nullopt;
    }
    stream_.reset();
    if (ec == beast::error::timeout) co_return EdgeFailure::connect_timeout;
    if (ec == net::error::connection_refused) co_return EdgeFailure::origin_refused;
    if (ec == net::error::host_unreachable || ec == net::error::network_unreachable) co_return EdgeFailure::origin_unreachable;
    co_return EdgeFailure::origin_refused;
}

void OriginConnection::close() {
    idle_ = false;
    stream_.reset();
    connected_to_.clear();
    buffer_.clear();
    buffer_.shrink_to_fit();
}

void OriginConnection::release_buffer_space() {
    idle_ = true;
    // A small buffer stays for the next answer (freed and reallocated per request it was malloc
    // churn); one grown by a large header or body read goes.
    if (buffer_.size() == 0 && buffer_.capacity() > keep_capacity) buffer_.shrink_to_fit();
}

}  // namespace server::edge
