#include "server/edge/origin_connection.hpp"
#include "server/asio_names.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include "api/edge/hostname_lookup.hpp"

namespace server::edge {
namespace {

using tcp = net::ip::tcp;
using api::edge::EdgeFailure;

}  // namespace

net::awaitable<std::optional<EdgeFailure>> OriginConnection::open(Shared& shared, const std::string& origin_host) {
    std::string name = api::edge::normalize_host(origin_host);
    reused_ = stream_ && connected_to_ == name;
    if (reused_) co_return std::nullopt;
    close();
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
    stream_.reset();
    connected_to_.clear();
    buffer_.clear();
    buffer_.shrink_to_fit();
}

void OriginConnection::release_buffer_space() {
    // A small buffer stays for the next answer (freed and reallocated per request it was malloc
    // churn); one grown by a large header or body read goes.
    if (buffer_.size() == 0 && buffer_.capacity() > 8 * 1024) buffer_.shrink_to_fit();
}

}  // namespace server::edge
