#include "support/token_origin.hpp"

#include <optional>

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

struct TokenOrigin::Impl {
    std::map<std::string, std::string> bodies;
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)};
    mutable std::mutex mutex;
    std::vector<std::string> agents;
    std::thread thread;

    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) return;
            serve(std::move(socket));  // one short request at a time is all a probe test needs
            accept();
        });
    }

    void serve(tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> request;
        boost::system::error_code ec;
        http::read(socket, buffer, request, ec);
        if (ec) return;
        std::optional<std::string> body;
        {
            std::lock_guard lock(mutex);
            agents.emplace_back(request[http::field::user_agent]);
            auto found = bodies.find(std::string(request.target()));
            if (found != bodies.end()) body = found->second;
        }
        http::response<http::string_body> response{body ? http::status::ok : http::status::not_found, 11};
        response.set(http::field::content_type, "text/plain");
        response.body() = body ? *body : "not found";
        response.prepare_payload();
        http::write(socket, response, ec);
        socket.shutdown(tcp::socket::shutdown_both, ec);
    }
};

TokenOrigin::TokenOrigin(std::map<std::string, std::string> bodies_by_path) : impl_(std::make_unique<Impl>()) {
    impl_->bodies = std::move(bodies_by_path);
    port_ = impl_->acceptor.local_endpoint().port();
    impl_->accept();
    impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

TokenOrigin::~TokenOrigin() {
    impl_->io.stop();
    impl_->thread.join();
}

std::vector<std::string> TokenOrigin::user_agents() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->agents;
}

void TokenOrigin::set(const std::string& path, const std::string& body) {
    std::lock_guard lock(impl_->mutex);
    impl_->bodies[path] = body;
}

}  // namespace test_support
