#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>
#include <sys/time.h>

namespace test_support {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
bool iequal(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}
}  // namespace

std::optional<std::string> HttpResponse::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (iequal(k, name)) return v;
    return std::nullopt;
}

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body); }

struct HttpClient::Impl {
    std::string host;
    unsigned short port;
    net::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    void connect() {
        tcp::resolver resolver(ioc);
        stream.emplace(ioc);
        stream->connect(resolver.resolve(host, std::to_string(port)));
        buffer.clear();
    }
};

HttpClient::HttpClient(std::string host, unsigned short port) : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;

bool HttpClient::connected() const { return impl_->stream.has_value(); }

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const Headers& headers) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!impl_->stream) impl_->connect();
        http::request<http::string_body> req;
        req.method_string(method);
        req.target(target);
        req.version(11);
        req.set(http::field::host, impl_->host);
        req.set(http::field::user_agent, "csr-emulator-tests");
        for (const auto& [k, v] : headers) req.set(k, v);
        if (!body.empty()) {
            if (req.find(http::field::content_type) == req.end()) req.set(http::field::content_type, "application/json");
            req.body() = body;
        }
        req.prepare_payload();
        beast::error_code ec;
        impl_->stream->expires_after(std::chrono::seconds(60));
        http::write(*impl_->stream, req, ec);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (!ec) http::read(*impl_->stream, impl_->buffer, parser, ec);
        if (ec) {
            impl_->stream.reset();
            // A keep-alive connection the server closed meanwhile: retry once on a new one.
            if (attempt == 0 && (ec == http::error::end_of_stream || ec == net::error::connection_reset ||
                                 ec == net::error::broken_pipe))
                continue;
            throw beast::system_error(ec);
        }
        auto& res = parser.get();
        HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        for (const auto& field : res) out.headers.emplace_back(field.name_string(), field.value());
        out.body = std::move(res.body());
        if (!res.keep_alive()) impl_->stream.reset();
        return out;
    }
    throw std::runtime_error("unreachable");
}

std::string raw_exchange(const std::string& host, unsigned short port, const std::string& bytes) {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    tcp::socket socket(ioc);
    net::connect(socket, resolver.resolve(host, std::to_string(port)));
    timeval tv{10, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    beast::error_code ec;
    net::write(socket, net::buffer(bytes), ec);
    std::string reply;
    net::read(socket, net::dynamic_buffer(reply), ec);
    return reply;
}

}  // namespace test_support
