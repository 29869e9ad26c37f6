#include "server/http_server.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include "api/service.hpp"
#include "server/limit_report.hpp"
#include "server/logger.hpp"
#include "server/session.hpp"

namespace server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Handlers capture a plain Impl*: HttpServer owns Impl, and run() returns only once the io_context
// has stopped, so no handler runs after that; the ones still queued are destroyed with `ioc`.
struct HttpServer::Impl {
    Impl(const HttpSettings& s, api::Service& svc, Logger& log)
        : settings(s), service(svc), logger(log), strand(net::make_strand(ioc)), acceptor(strand),
          signals(strand, SIGINT, SIGTERM), accept_retry(strand), tls_accept_retry(strand),
          shutdown_timer(strand) {}

    // Destroyed in reverse order. `connections` (and what sessions refer to: settings, service,
    // logger) must outlive `ioc`: ~io_context destroys the handlers still queued, and with them
    // the last sessions, whose destructors unregister from `connections`.
    HttpSettings settings;
    api::Service& service;
    Logger& logger;
    Connections connections;
    net::io_context ioc;
    // The acceptor, signals, timers and the fields below are used only on this strand.
    net::strand<net::io_context::executor_type> strand;
    tcp::acceptor acceptor;
    // --api-tls-listen: the second acceptor and the identity its sessions present.
    std::optional<tcp::acceptor> tls_acceptor;
    // Made by listen_tls only: an SSL_CTX is OpenSSL's TLS set-up (2 ms, 15 % of the start-up
    // to the listening line), wasted when the API listens on plain HTTP alone.
    std::optional<net::ssl::context> tls_context;
    net::signal_set signals;
    net::steady_timer accept_retry, tls_accept_retry;
    net::steady_timer shutdown_timer;
    bool stopping = false;
    std::chrono::steady_clock::time_point shutdown_deadline;
    LimitReport limit_report;

    void accept(bool tls = false) {
        (tls ? *tls_acceptor : acceptor)
            .async_accept(net::make_strand(ioc), [this, tls](boost::system::error_code ec, tcp::socket socket) {
                on_accept(ec, std::move(socket), tls);
            });
    }

    void on_accept(boost::system::error_code ec, tcp::socket socket, bool tls) {
        if (stopping || ec == net::error::operation_aborted) return;
        if (ec) {
            // E.g. out of descriptors although the connection limit keeps a reserve (the limit
            // was lowered after start, say): log, and keep accepting. Out of descriptors, an
            // idle connection is closed to make room, so the client waiting in the backlog is
            // served soon (the retry waits for the shed socket to close); otherwise pause
            // briefly so we do not spin.
            limit_report.accept_failed(ec.message(), logger);
            bool out_of_descriptors = ec == net::error::no_descriptors ||
                                      ec == boost::system::errc::too_many_files_open_in_system;
            bool shed = out_of_descriptors && connections.shed_one();
            if (shed) limit_report.shed(connections.size(), logger);
            auto& retry = tls ? tls_accept_retry : accept_retry;
            retry.expires_after(std::chrono::milliseconds(shed ? 5 : 100));
            retry.async_wait([this, tls](boost::system::error_code wait_ec) {
                if (!wait_ec) accept(tls);
            });
            return;
        }
        if (connections.size() >= settings.max_connections) {
            if (connections.shed_one()) {
                limit_report.shed(connections.size(), logger);
            } else {
                // Every connection is in the middle of a request: the newcomer waits its turn
                // elsewhere rather than push us past the descriptor limit.
                limit_report.refused(connections.size(), logger);
                boost::system::error_code ignored;
                socket.close(ignored);
                accept(tls);
                return;
            }
        }
        if (tls) start_tls_session(std::move(socket), *tls_context, settings, service, logger, connections);
        else start_session(std::move(socket), settings, service, logger, connections);
        accept(tls);
    }

    void begin_shutdown(const char* reason) {
        if (stopping) return;
        stopping = true;
        logger.log(api::LogLevel::info, "shutdown", {{"reason", reason}});
        boost::system::error_code ignored;
        acceptor.close(ignored);
        if (tls_acceptor) tls_acceptor->close(ignored);
        accept_retry.cancel();
        tls_accept_retry.cancel();
        signals.cancel();
        connections.shutdown_all();
        service.shutting_down();  // keys for requests in flight at serving priority, within the grace
        shutdown_deadline = std::chrono::steady_clock::now() + settings.shutdown_grace;
        poll_shutdown();
    }

    // Done when every connection has finished its response and closed, or the grace ran out.
    void poll_shutdown() {
        if (connections.size() == 0 || std::chrono::steady_clock::now() >= shutdown_deadline) {
            if (connections.size() != 0)
                logger.log(api::LogLevel::warn, "shutdown_deadline",
                           {{"open_connections", std::to_string(connections.size())},
                            {"grace_ms", std::to_string(settings.shutdown_grace.count())}});
            ioc.stop();
            return;
        }
        shutdown_timer.expires_after(std::chrono::milliseconds(20));
        shutdown_timer.async_wait([this](boost::system::error_code ec) {
            if (!ec) poll_shutdown();
        });
    }
};

namespace {

// Opens, binds and listens; throws BindError naming the address.
void bind_acceptor(net::io_context& ioc, tcp::acceptor& acceptor, const std::string& host, std::uint16_t port) {
    std::string shown = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    boost::system::error_code ec;
    auto address = net::ip::make_address(host, ec);
    if (ec) {
        // A name such as "localhost": resolve it.
        tcp::resolver resolver(ioc);
        auto results = resolver.resolve(host, std::to_string(port), ec);
        if (ec || results.empty()) throw BindError("cannot resolve listen address " + shown + ": " + ec.message());
        address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, port);
    if (acceptor.open(endpoint.protocol(), ec); ec)
        throw BindError("cannot listen on " + shown + ": " + ec.message());
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (acceptor.bind(endpoint, ec); ec) throw BindError("cannot bind " + shown + ": " + ec.message());
    if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec)
        throw BindError("cannot listen on " + shown + ": " + ec.message());
}

std::string url_of(const tcp::acceptor& acceptor, const char* scheme) {
    auto endpoint = acceptor.local_endpoint();
    std::string host = endpoint.address().to_string();
    if (endpoint.address().is_v6()) host = "[" + host + "]";
    return std::string(scheme) + "://" + host + ":" + std::to_string(endpoint.port());
}

}  // namespace

HttpServer::HttpServer(const std::string& host, std::uint16_t port, const HttpSettings& settings,
                       api::Service& service, Logger& logger)
    : impl_(std::make_unique<Impl>(settings, service, logger)) {
    bind_acceptor(impl_->ioc, impl_->acceptor, host, port);
}

HttpServer::~HttpServer() = default;

std::string HttpServer::url() const { return url_of(impl_->acceptor, "http"); }

std::string HttpServer::tls_url() const { return impl_->tls_acceptor ? url_of(*impl_->tls_acceptor, "https") : ""; }

void HttpServer::listen_tls(const std::string& host, std::uint16_t port, const std::string& chain_pem,
                            const std::string& private_key_pem) {
    auto& context = impl_->tls_context.emplace(net::ssl::context::tls_server);
    boost::system::error_code ec;
    // TLS 1.2 and 1.3 only, as Cloudflare's API.
    context.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                            net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1,
                        ec);
    if (!ec) context.use_certificate_chain(net::buffer(chain_pem), ec);
    if (!ec) context.use_private_key(net::buffer(private_key_pem), net::ssl::context::pem, ec);
    if (ec) throw BindError("cannot use the API's TLS certificate: " + ec.message());
    impl_->tls_acceptor.emplace(impl_->strand);
    bind_acceptor(impl_->ioc, *impl_->tls_acceptor, host, port);
}

void HttpServer::run() {
    Impl* impl = impl_.get();
    impl->signals.async_wait([impl](boost::system::error_code ec, int signal) {
        if (!ec) impl->begin_shutdown(signal == SIGINT ? "SIGINT" : "SIGTERM");
    });
    net::post(impl->strand, [impl] {
        impl->accept();
        if (impl->tls_acceptor) impl->accept(true);
    });
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < impl->settings.threads; ++i) threads.emplace_back([impl] { impl->ioc.run(); });
    impl->ioc.run();
    for (auto& t : threads) t.join();
}

void HttpServer::after(std::chrono::milliseconds delay, std::function<void()> then) {
    auto timer = std::make_shared<net::steady_timer>(impl_->ioc, delay);
    timer->async_wait([timer, then = std::move(then)](boost::system::error_code) { then(); });
}

void HttpServer::stop() {
    Impl* impl = impl_.get();
    net::post(impl->strand, [impl] { impl->begin_shutdown("stop"); });
}

}  // namespace server
