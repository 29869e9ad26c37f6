#pragma once
// The edge's connection to one visitor's origin: resolve (with --edge-resolve overrides),
// connect, send, read, each step timed out, and every failure named as the 52x Cloudflare
// answers with. Kept open between a visitor's requests when the origin allows.
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "api/edge/error_pages.hpp"
#include "server/edge/edge_shared.hpp"

namespace server::edge {

class OriginConnection {
public:
    explicit OriginConnection(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

    using Result = std::variant<Response, api::edge::EdgeFailure>;
    boost::asio::awaitable<Result> exchange(Shared& shared, const std::string& origin_host, Request& request);

private:
    boost::asio::awaitable<std::optional<api::edge::EdgeFailure>> connect(Shared& shared, const std::string& origin_host);

    boost::asio::any_io_executor executor_;
    std::optional<boost::beast::tcp_stream> stream_;
    boost::beast::flat_buffer buffer_;
    std::string connected_to_;  // origin host of the open stream
};

}  // namespace server::edge
