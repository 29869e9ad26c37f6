#pragma once
// The edge's connection to one visitor's origin: resolve (with --edge-resolve overrides) and
// connect, timed out, every failure named as the 52x Cloudflare answers with. Kept open between a
// visitor's requests when the origin allows, and when the visitor's connection ends, left idle in
// its edge thread's pool for the next visitor going to the same origin (as nginx's upstream
// keepalive): a visitor connection with one request costs the origin no new connection. The
// request and the answer stream through it (see visitor_exchange.cpp); this class only owns the
// socket and its read-ahead buffer.
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "api/edge/error_pages.hpp"
#include "server/edge/edge_shared.hpp"

namespace server::edge {

class OriginConnection {
public:
    explicit OriginConnection(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
    // An idle kept-alive connection goes to the thread's pool (when the thread has one).
    ~OriginConnection();
    OriginConnection(const OriginConnection&) = delete;
    OriginConnection& operator=(const OriginConnection&) = delete;

    // The pool of idle origin connections of the calling edge thread: enabled on each edge thread
    // before its loop runs, emptied (sockets closed on their own thread) once it has stopped.
    static void enable_thread_pool();
    static void close_thread_pool();

    // A connection to origin_host: the kept-alive one when it goes there, else a new one; or why
    // none could be made (521, 522, 523).
    boost::asio::awaitable<std::optional<api::edge::EdgeFailure>> open(Shared& shared, const std::string& origin_host);
    // Whether open() returned a kept-alive connection (which the origin may have closed meanwhile:
    // a failure before any answer is then worth one retry on a fresh connection).
    bool reused() const { return reused_; }

    boost::beast::tcp_stream& stream() { return *stream_; }
    boost::beast::flat_buffer& buffer() { return buffer_; }
    // Not to be reused: the origin closes, or the exchange ended half-way.
    void close();
    // After a complete answer on a connection the origin keeps open: idle, reusable (by the
    // next request, or the pool); drops read-ahead capacity kept from a large body.
    void release_buffer_space();

private:
    boost::asio::any_io_executor executor_;
    std::optional<boost::beast::tcp_stream> stream_;
    boost::beast::flat_buffer buffer_;
    std::string connected_to_;  // origin host of the open stream
    bool reused_ = false;
    bool idle_ = false;  // between two exchanges: no request or answer half-way on it
};

}  // namespace server::edge
