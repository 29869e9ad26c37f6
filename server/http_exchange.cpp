#include "server/http_exchange.hpp"
#include "server/asio_names.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace server {

namespace asio = boost::asio;
using asio::ip::tcp;

http::request<http::string_body> exchange_request(http::verb method, const std::string& host, unsigned short port,
                                                 const std::string& target) {
    http::request<http::string_body> request;
    request.method(method);
    request.target(target);
    request.version(11);
    request.set(http::field::host, port ? host + ":" + std::to_string(port) : host);
    request.set(http::field::connection, "close");
    return request;
}

struct HttpExchange::Impl {
    beast::tcp_stream stream;
    Request request;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    std::function<void(HttpExchangeResult)> done;

    Impl(asio::io_context& io, Request r, std::size_t limit, std::function<void(HttpExchangeResult)> d)
        : stream(io), request(std::move(r)), done(std::move(d)) {
        parser.body_limit(limit);
    }
};

HttpExchange::HttpExchange(asio::io_context& io, Request request, std::size_t body_limit,
                           std::function<void(HttpExchangeResult)> done)
    : impl_(std::make_unique<Impl>(io, std::move(request), body_limit, std::move(done))) {}

HttpExchange::~HttpExchange() = default;

void HttpExchange::fail(const beast::error_code& ec) {
    if (!impl_->done) return;
    HttpExchangeResult out;
    out.error = ec;
    auto done = std::move(impl_->done);
    impl_->done = nullptr;
    done(std::move(out));
}

void HttpExchange::cancel() {
    beast::error_code ignored;
    impl_->stream.socket().close(ignored);
}

void HttpExchange::start(const tcp::endpoint& endpoint, std::chrono::steady_clock::duration timeout) {
    impl_->stream.expires_after(timeout);
    impl_->stream.async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->fail(ec);
        http::async_write(self->impl_->stream, self->impl_->request, [self](beast::error_code ec, std::size_t) {
            if (ec) return self->fail(ec);
            auto& impl = *self->impl_;
            http::async_read(impl.stream, impl.buffer, impl.parser, [self](beast::error_code ec, std::size_t) {
                // A body over the limit still tells what was answered.
                if (ec && ec != http::error::body_limit) return self->fail(ec);
                auto& impl = *self->impl_;
                HttpExchangeResult out;
                out.status = static_cast<int>(impl.parser.get().result_int());
                out.reason = std::string(impl.parser.get().reason());
                out.body = std::move(impl.parser.get().body());
                beast::error_code ignored;
                impl.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                if (auto done = std::move(impl.done)) {
                    impl.done = nullptr;
                    done(std::move(out));
                }
            });
        });
    });
}

}  // namespace server
