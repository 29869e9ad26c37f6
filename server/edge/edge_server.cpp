#include "server/edge/edge_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "api/edge/hostname_lookup.hpp"
#include "crypto/tls_context.hpp"
#include "server/asio_names.hpp"
#include "server/edge/edge_shared.hpp"
#include "server/edge/origin_connection.hpp"
#include "server/edge/edge_connection.hpp"
#include "server/erased_stream.hpp"
#include "server/http_server.hpp"  // BindError
#include "server/limit_report.hpp"
#include "server/logger.hpp"

namespace server {
namespace {

using tcp = net::ip::tcp;
using edge::Shared;

using edge::PlainStream;
using edge::TlsStream;
using edge::VisitorConnection;
using Phase = VisitorConnection::Phase;

constexpr std::chrono::seconds handshake_timeout{10};
constexpr std::chrono::seconds tls_shutdown_timeout{5};

// A visitor connection and its stream (TLS, or plain HTTP), shared by its coroutine and by the
// registry's shedding. The stream is made from the socket by open(): for TLS, only once the
// ClientHello has arrived.
template <class Stream>
class Visitor final : public VisitorConnection {
public:
    Visitor(Registry& registry, tcp::socket&& s, const tcp::endpoint& peer)
        : VisitorConnection(s.get_executor(), registry), client_ip(peer.address().to_string()), socket(std::move(s)) {}

    template <class... Args>
    void open(Args&&... args) {
        stream.emplace(std::move(socket), std::forward<Args>(args)...);
    }

    std::string client_ip;
    tcp::socket socket;  // until open()
    std::optional<Stream> stream;

private:
    void close_socket() override {
        boost::system::error_code ec;
        if (stream) beast::get_lowest_layer(*stream).close();
        else socket.close(ec);
    }
};

// Waits, without allocating any TLS state, until the first TLS record (the ClientHello) is whole
// in the kernel's receive buffer. Usually it arrives in one piece: one wait for the first bytes
// and one look at what is queued (a peek of up to a whole record) settle it. Else the socket is
// made unreadable (SO_RCVLOWAT) until the rest is there. A connection that sends half a
// ClientHello and stops then costs its socket and this coroutine, not the ~100 KiB of an OpenSSL
// connection with Asio's TLS buffers. False when the visitor closed first (or the handshake
// deadline closed the socket).
net::awaitable<bool> client_hello_arrived(tcp::socket& socket) {
    constexpr std::size_t header_size = 5;
    constexpr std::size_t record_limit = 16 * 1024;  // a handshake record's most (RFC 8446 5.1)
    boost::system::error_code ec;
    auto wait_for = [&](std::size_t bytes) -> net::awaitable<bool> {
        // Set before waiting, on this thread: the option's own wake-up (when the bytes are
        // already there) reaches the wait, which is queued before the reactor runs again.
        socket.set_option(net::socket_base::receive_low_watermark(static_cast<int>(bytes)), ec);
        if (ec) co_return false;
        co_await socket.async_wait(tcp::socket::wait_read, net::redirect_error(net::use_awaitable, ec));
        co_return !ec;
    };
    // What is queued, up to a whole record, copied but left in place for OpenSSL to read. One
    // system call, and never a blocking one (Asio's own receive would wait when nothing is there).
    thread_local std::array<unsigned char, header_size + record_limit> queued;
    auto peek = [&]() -> std::size_t {
        ssize_t n = ::recv(socket.native_handle(), queued.data(), queued.size(), MSG_PEEK | MSG_DONTWAIT);
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    };
    co_await socket.async_wait(tcp::socket::wait_read, net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return false;
    std::size_t n = peek();
    if (n == 0) co_return false;  // closed
    bool low_watermark_set = false;
    if (n < header_size) {
        if (!co_await wait_for(header_size)) co_return false;
        low_watermark_set = true;
        n = peek();
        if (n < header_size) co_return false;  // readable with fewer bytes: closed
    }
    std::size_t length = (std::size_t{queued[3]} << 8) | queued[4];
    // Anything but a handshake record of at most 16 KiB goes to OpenSSL at once, to be refused.
    if (queued[0] == 0x16 && length <= record_limit && n < header_size + length) {
        if (!co_await wait_for(header_size + length)) co_return false;
        low_watermark_set = true;
    }
    if (low_watermark_set) socket.set_option(net::socket_base::receive_low_watermark(1), ec);
    co_return true;
}

net::awaitable<void> serve_tls(Shared& shared, std::shared_ptr<Visitor<TlsStream>> self,
                               net::ssl::context& context) {
    try {
        boost::system::error_code ec;
        self->set_phase(Phase::handshake);
        // One deadline for the ClientHello's arrival and the handshake that follows.
        self->expire_after(handshake_timeout);
        if (!co_await client_hello_arrived(self->socket)) co_return;
        self->open(context);
        co_await self->stream->async_handshake(net::ssl::stream_base::server, net::redirect_error(net::use_awaitable, ec));
        if (ec) {
            // Unknown names end here too (the alert was sent from the client-hello callback).
            shared.logger.log(api::LogLevel::debug, "edge_handshake_failed",
                              {{"client", self->client_ip}, {"error", ec.message()}});
            co_return;
        }
        ErasedStreamOver<TlsStream&> stream(*self->stream);
        ec = co_await edge::serve_requests(shared, stream, *self, self->client_ip, true);
        // A visitor gone (closed without close_notify, reset, timed out or shed) gets none back:
        // nobody would read it, and a closed socket would answer it with a reset (as nginx, which
        // sends none either). One that sent its close_notify gets the edge's; one the edge is
        // done with gets it and a moment to answer.
        if (ec && ec != net::error::eof) co_return;
        self->set_phase(Phase::idle);
        self->expire_after(tls_shutdown_timeout);
        co_await self->stream->async_shutdown(net::redirect_error(net::use_awaitable, ec));
    } catch (const std::exception& e) {
        shared.logger.log(api::LogLevel::error, "edge_connection_failed", {{"error", e.what()}});
    }
}

net::awaitable<void> serve_plain(Shared& shared, std::shared_ptr<Visitor<PlainStream>> self) {
    try {
        self->open();
        ErasedStreamOver<PlainStream&> stream(*self->stream);
        auto ec = co_await edge::serve_requests(shared, stream, *self, self->client_ip, false);
        if (!ec) self->stream->socket().shutdown(tcp::socket::shutdown_send, ec);  // else gone already
    } catch (const std::exception& e) {
        shared.logger.log(api::LogLevel::error, "edge_connection_failed", {{"error", e.what()}});
    }
}

tcp::acceptor bind(net::io_context& ioc, const std::pair<std::string, std::uint16_t>& address) {
    try {
        tcp::endpoint endpoint(net::ip::make_address(address.first), address.second);
        tcp::acceptor acceptor(ioc);
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
        return acceptor;
    } catch (const std::exception& e) {
        throw BindError("cannot listen on " + address.first + ":" + std::to_string(address.second) + " (edge): " +
                        e.what());
    }
}

std::string url_of(const std::optional<tcp::acceptor>& acceptor, const char* scheme) {
    if (!acceptor) return "";
    auto endpoint = acceptor->local_endpoint();
    std::string host = endpoint.address().to_string();
    if (endpoint.address().is_v6()) host = "[" + host + "]";
    return std::string(scheme) + "://" + host + ":" + std::to_string(endpoint.port());
}

}  // namespace

namespace edge {

void VisitorConnection::shed() {
    net::post(executor_, [self = shared_from_this()] {
        if (self->phase() == Phase::busy) {  // a request arrived meanwhile
            self->shedding_ = false;
            return;
        }
        self->close_socket();
    });
}

void VisitorConnection::expire_after(std::chrono::steady_clock::duration limit) {
    due_ = std::chrono::steady_clock::now() + limit;
    // A pending wait that ends no later than the new deadline is left alone: it re-arms itself.
    if (waiting_ && timer_.expiry() <= due_) return;
    timer_.expires_at(due_);  // cancels a later pending wait, whose handler sees operation_aborted
    wait_for_deadline();
}

void VisitorConnection::wait_for_deadline() {
    waiting_ = true;
    timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        if (ec == net::error::operation_aborted) return;  // re-armed earlier, or the connection is gone
        auto self = weak.lock();
        if (!self) return;
        self->waiting_ = false;
        if (self->due_ == std::chrono::steady_clock::time_point::max()) return;  // re-armed by the next step
        if (std::chrono::steady_clock::now() < self->due_) {
            self->timer_.expires_at(self->due_);
            self->wait_for_deadline();
        } else {
            self->close_socket();
        }
    });
}

Shared::Shared(const EdgeSettings& s, storage::Database& db, Logger& log)
    : settings(s), logger(log), selector(db, log.sink(), s.now), repository(db) {
    for (const auto& [host, ip] : s.resolve) resolve[api::edge::normalize_host(host)] = ip;
}

}  // namespace edge

// One io_context per thread, each connection on one of them for its whole life: a connection's
// steps never hop between threads (no strand, no cross-thread wake-up per step), which is what
// keeps a loaded machine's scheduling out of every handshake.
struct EdgeServer::Impl {
    Impl(const EdgeSettings& s, storage::Database& db, Logger& log)
        : shared(s, db, log), tls_context(net::ssl::context::tls_server), limit_report("edge_") {
        for (unsigned i = 0; i < std::max(1u, s.threads); ++i) {
            loops.push_back(std::make_unique<net::io_context>(1));
            guards.emplace_back(loops.back()->get_executor());
        }
    }

    // Declared in the order of what they use. Destroyed in reverse: the threads, the acceptors,
    // then the io_contexts with the connections suspended on them (whose coroutine frames hold
    // references to `shared`, the TLS context and its SNI dispatch, and the registry they leave
    // on destruction), and only then what those connections used. stop() destroys the loops
    // early, in the same order, so no connection outlives the edge's stop.
    VisitorConnection::Registry registry;
    Shared shared;
    net::ssl::context tls_context;
    std::optional<crypto::SniDispatch> dispatch;
    LimitReport limit_report;  // used on loops[0] only
    std::vector<std::unique_ptr<net::io_context>> loops;  // loops[0] also runs the acceptors
    std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
    std::size_t next_loop = 0;  // used on loops[0] only
    std::optional<tcp::acceptor> tls_acceptor, http_acceptor;
    std::vector<std::thread> threads;

    // At the connection limit a newcomer takes the place of the connection that matters least
    // (the longest idle, then the oldest unfinished handshake, then the slowest headers); when
    // every connection is busy with a request, the newcomer is closed. Out of descriptors, one is
    // shed too and the accept retried as soon as it is closed.
    net::awaitable<void> accept_loop(tcp::acceptor& acceptor, bool tls) {
        net::steady_timer pause(*loops[0]);
        for (;;) {
            boost::system::error_code ec;
            auto& loop = *loops[next_loop++ % loops.size()];
            tcp::endpoint peer;  // given by accept itself (no getpeername)
            tcp::socket socket = co_await acceptor.async_accept(loop.get_executor(), peer,
                                                                net::redirect_error(net::use_awaitable, ec));
            if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) {
                limit_report.accept_failed(ec.message(), shared.logger);
                bool out_of_descriptors =
                    ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system;
                bool shed = out_of_descriptors && registry.shed_one();
                if (shed) limit_report.shed(registry.size(), shared.logger);
                pause.expires_after(std::chrono::milliseconds(shed ? 5 : 100));
                co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
                continue;
            }
            if (registry.size() >= shared.settings.max_connections) {
                if (registry.shed_one()) {
                    limit_report.shed(registry.size(), shared.logger);
                } else {
                    limit_report.refused(registry.size(), shared.logger);
                    socket.close(ec);
                    continue;
                }
            }
            // Headers and body go out as separate writes: with Nagle's algorithm the second waits
            // for the visitor's delayed ACK of the first (40 ms on Linux), as nginx's tcp_nodelay avoids.
            socket.set_option(tcp::no_delay(true), ec);
            auto executor = socket.get_executor();
            if (tls) {
                auto visitor = std::make_shared<Visitor<TlsStream>>(registry, std::move(socket), peer);
                visitor->enroll();
                net::co_spawn(executor, serve_tls(shared, std::move(visitor), tls_context), net::detached);
            } else {
                auto visitor = std::make_shared<Visitor<PlainStream>>(registry, std::move(socket), peer);
                visitor->enroll();
                net::co_spawn(executor, serve_plain(shared, std::move(visitor)), net::detached);
            }
        }
    }
};

EdgeServer::EdgeServer(const EdgeSettings& settings, storage::Database& db, Logger& logger)
    : impl_(std::make_shared<Impl>(settings, db, logger)) {
    if (settings.tls_listen) {
        impl_->tls_acceptor.emplace(bind(*impl_->loops[0], *settings.tls_listen));
        impl_->shared.tls_port = impl_->tls_acceptor->local_endpoint().port();
        impl_->dispatch.emplace(
            impl_->tls_context.native_handle(),
            [impl = impl_.get()](const std::string& name) { return impl->shared.selector.select(name); },
            settings.unrecognized_name_alert ? crypto::UnknownNameAlert::unrecognized_name
                                             : crypto::UnknownNameAlert::handshake_failure);
    }
    if (settings.http_listen) impl_->http_acceptor.emplace(bind(*impl_->loops[0], *settings.http_listen));
}

EdgeServer::~EdgeServer() { stop(); }

std::string EdgeServer::tls_url() const { return url_of(impl_->tls_acceptor, "https"); }
std::string EdgeServer::http_url() const { return url_of(impl_->http_acceptor, "http"); }

void EdgeServer::start() {
    impl_->shared.logger.log(api::LogLevel::info, "edge_connection_limit",
                             {{"max_connections", std::to_string(impl_->shared.settings.max_connections)},
                              {"max_body", std::to_string(impl_->shared.settings.max_body)}});
    auto& first = *impl_->loops[0];
    if (impl_->tls_acceptor) net::co_spawn(first, impl_->accept_loop(*impl_->tls_acceptor, true), net::detached);
    if (impl_->http_acceptor) net::co_spawn(first, impl_->accept_loop(*impl_->http_acceptor, false), net::detached);
    for (auto& loop : impl_->loops)
        impl_->threads.emplace_back([&loop] {
            edge::OriginConnection::enable_thread_pool();
            loop->run();
            edge::OriginConnection::close_thread_pool();  // on this thread, while its io_context lives
        });
}

void EdgeServer::stop() {
    if (impl_->loops.empty()) return;  // stopped already
    for (auto& loop : impl_->loops) loop->stop();
    for (auto& t : impl_->threads) t.join();
    impl_->threads.clear();
    // The visitors' connections go now, while everything they use (the database through the
    // selector and repository, the TLS context, the logger, the registry) is still there: the
    // acceptors first (their sockets belong to loops[0]), then each io_context, whose destruction
    // destroys the coroutines suspended on it mid-handshake or mid-proxy.
    impl_->tls_acceptor.reset();
    impl_->http_acceptor.reset();
    impl_->guards.clear();
    impl_->loops.clear();
}

}  // namespace server
