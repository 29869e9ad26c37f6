#include "server/edge/origin_connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "api/edge/hostname_lookup.hpp"

namespace server::edge {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using api::edge::EdgeFailure;

constexpr std::size_t origin_body_limit = 64 * 1024 * 1024;

}  // namespace

net::awaitable<std::optional<EdgeFailure>> OriginConnection::connect(Shared& shared, const std::string& origin_host) {
    stream_.reset();
    buffer_.clear();
    std::string name = api::edge::normalize_host(origin_host);
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
        connected_to_ = name;
        co_return std::nullopt;
    }
    stream_.reset();
    if (ec == beast::error::timeout) co_return EdgeFailure::connect_timeout;
    if (ec == net::error::connection_refused) co_return EdgeFailure::origin_refused;
    if (ec == net::error::host_unreachable || ec == net::error::network_unreachable) co_return EdgeFailure::origin_unreachable;
    co_return EdgeFailure::origin_refused;
}

net::awaitable<OriginConnection::Result> OriginConnection::exchange(Shared& shared, const std::string& origin_host,
                                                                    Request& request) {
    // A kept-alive stream may have been closed by the origin meanwhile: such a failure before
    // any answer is retried once on a fresh connection.
    bool reused = stream_ && connected_to_ == api::edge::normalize_host(origin_host);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!reused) {
            if (auto failure = co_await connect(shared, origin_host)) co_return *failure;
        }
        boost::system::error_code ec;
        stream_->expires_after(shared.settings.read_timeout);
        co_await http::async_write(*stream_, request, net::redirect_error(net::use_awaitable, ec));
        http::response_parser<http::string_body> parser;
        parser.body_limit(origin_body_limit);
        parser.skip(request.method() == http::verb::head);
        if (!ec) {
            stream_->expires_after(shared.settings.read_timeout);
            co_await http::async_read(*stream_, buffer_, parser, net::redirect_error(net::use_awaitable, ec));
        }
        if (!ec) {
            Response response = parser.release();
            if (!response.keep_alive()) stream_.reset();
            co_return response;
        }
        stream_.reset();
        if (ec == beast::error::timeout) co_return EdgeFailure::read_timeout;
        if (!reused || parser.got_some()) co_return EdgeFailure::origin_error;
        reused = false;
    }
    co_return EdgeFailure::origin_error;
}

}  // namespace server::edge
