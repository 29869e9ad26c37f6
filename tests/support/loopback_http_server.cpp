#include "support/loopback_http_server.hpp"

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace test_support {
namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
}  // namespace

struct LoopbackHttpServer::Impl {
    std::function<Response(const Request&)> handler;
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)};
    unsigned short port = acceptor.local_endpoint().port();  // read before the thread uses the acceptor
    std::thread thread;

    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) return;
            serve(std::move(socket));
            accept();
        });
    }

    void serve(tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        Request request;
        boost::system::error_code ec;
        http::read(socket, buffer, request, ec);
        if (ec) return;
        Response response = handler(request);
        response.prepare_payload();
        http::write(socket, response, ec);
        socket.shutdown(tcp::socket::shutdown_both, ec);
    }
};

LoopbackHttpServer::LoopbackHttpServer(std::function<Response(const Request&)> handler)
    : impl_(std::make_unique<Impl>()) {
    impl_->handler = std::move(handler);
    impl_->accept();
    impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
    impl_->io.stop();
    impl_->thread.join();
}

unsigned short LoopbackHttpServer::port() const { return impl_->port; }

}  // namespace test_support
