#include "server/edge/edge_server.hpp"

#include <algorithm>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "crypto/tls_context.hpp"
#include "server/edge/edge_shared.hpp"
#include "server/edge/origin_connection.hpp"
#include "server/http_server.hpp"  // BindError
#include "server/logger.hpp"

namespace server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using edge::Shared;

constexpr std::size_t visitor_body_limit = 32 * 1024 * 1024;
constexpr std::chrono::seconds handshake_timeout{10};
constexpr std::chrono::seconds idle_timeout{60};
constexpr std::chrono::seconds write_timeout{30};

// Requests on one visitor connection, one after another, until either side closes.
template <class Stream>
net::awaitable<void> serve_requests(Shared& shared, Stream& stream, const std::string& client_ip, bool https) {
    auto& lowest = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    edge::OriginConnection origin(lowest.get_executor());
    for (;;) {
        boost::system::error_code ec;
        http::request_parser<http::string_body> parser;
        parser.body_limit(visitor_body_limit);
        lowest.expires_after(idle_timeout);
        co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
        if (ec == http::error::body_limit) {
            edge::Response response = edge::failure_response(parser.get(), api::edge::EdgeFailure::body_too_large);
            lowest.expires_after(write_timeout);
            co_await http::async_write(stream, response, net::redirect_error(net::use_awaitable, ec));
            co_return;
        }
        if (ec) co_return;  // closed, idle too long, or not HTTP: nothing useful to answer
        edge::Request request = parser.release();
        edge::Response response = co_await edge::answer(shared, request, client_ip, https, origin);
        lowest.expires_after(write_timeout);
        co_await http::async_write(stream, response, net::redirect_error(net::use_awaitable, ec));
        if (ec || !response.keep_alive()) co_return;
    }
}

std::string peer_address(const tcp::socket& socket) {
    boost::system::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("0.0.0.0") : endpoint.address().to_string();
}

net::awaitable<void> serve_tls(Shared& shared, tcp::socket socket, net::ssl::context& context) {
    try {
        std::string client_ip = peer_address(socket);
        beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), context);
        auto& lowest = beast::get_lowest_layer(stream);
        boost::system::error_code ec;
        lowest.expires_after(handshake_timeout);
        co_await stream.async_handshake(net::ssl::stream_base::server, net::redirect_error(net::use_awaitable, ec));
        if (ec) {
            // Unknown names end here too (the alert was sent from the client-hello callback).
            shared.logger.log(api::LogLevel::debug, "edge_handshake_failed", {{"client", client_ip}, {"error", ec.message()}});
            co_return;
        }
        co_await serve_requests(shared, stream, client_ip, true);
        lowest.expires_after(std::chrono::seconds(5));
        co_await stream.async_shutdown(net::redirect_error(net::use_awaitable, ec));
    } catch (const std::exception& e) {
        shared.logger.log(api::LogLevel::error, "edge_connection_failed", {{"error", e.what()}});
    }
}

net::awaitable<void> serve_plain(Shared& shared, tcp::socket socket) {
    try {
        std::string client_ip = peer_address(socket);
        beast::tcp_stream stream(std::move(socket));
        co_await serve_requests(shared, stream, client_ip, false);
        boost::system::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
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

// One io_context per thread, each connection on one of them for its whole life: a connection's
// steps never hop between threads (no strand, no cross-thread wake-up per step), which is what
// keeps a loaded machine's scheduling out of every handshake.
struct EdgeServer::Impl {
    Impl(const EdgeSettings& s, storage::Database& db, Logger& log)
        : shared(s, db, log), tls_context(net::ssl::context::tls_server) {
        for (unsigned i = 0; i < std::max(1u, s.threads); ++i) {
            loops.push_back(std::make_unique<net::io_context>(1));
            guards.emplace_back(loops.back()->get_executor());
        }
    }

    std::vector<std::unique_ptr<net::io_context>> loops;  // loops[0] also runs the acceptors
    std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
    std::size_t next_loop = 0;  // used on loops[0] only
    Shared shared;
    net::ssl::context tls_context;
    std::optional<crypto::SniDispatch> dispatch;
    std::optional<tcp::acceptor> tls_acceptor, http_acceptor;
    std::vector<std::thread> threads;

    net::awaitable<void> accept_loop(tcp::acceptor& acceptor, bool tls) {
        net::steady_timer pause(*loops[0]);
        for (;;) {
            boost::system::error_code ec;
            auto& loop = *loops[next_loop++ % loops.size()];
            tcp::socket socket =
                co_await acceptor.async_accept(loop.get_executor(), net::redirect_error(net::use_awaitable, ec));
            if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) {
                // E.g. too many open files: log, pause so we do not spin, keep accepting.
                shared.logger.log(api::LogLevel::error, "edge_accept_failed", {{"error", ec.message()}});
                pause.expires_after(std::chrono::milliseconds(100));
                co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
                continue;
            }
            auto executor = socket.get_executor();
            if (tls) net::co_spawn(executor, serve_tls(shared, std::move(socket), tls_context), net::detached);
            else net::co_spawn(executor, serve_plain(shared, std::move(socket)), net::detached);
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
    auto& first = *impl_->loops[0];
    if (impl_->tls_acceptor) net::co_spawn(first, impl_->accept_loop(*impl_->tls_acceptor, true), net::detached);
    if (impl_->http_acceptor) net::co_spawn(first, impl_->accept_loop(*impl_->http_acceptor, false), net::detached);
    for (auto& loop : impl_->loops) impl_->threads.emplace_back([&loop] { loop->run(); });
}

void EdgeServer::stop() {
    if (impl_->threads.empty()) return;
    for (auto& loop : impl_->loops) loop->stop();
    for (auto& t : impl_->threads) t.join();
    impl_->threads.clear();
}

}  // namespace server
