#pragma once
// The short names server/ code gives Asio and Beast (the only layer that uses them).
namespace boost::asio {}
namespace boost::beast::http {}

namespace server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
}  // namespace server
