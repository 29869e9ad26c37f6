#pragma once
// One HTTP/1.1 connection (Beast), served on its own strand. Private to server/.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>

#include "server/connection_registry.hpp"
#include "server/http_server.hpp"

namespace server {

class Session;

// The API's live connections (see connection_registry.hpp), instantiated in session.cpp.
using Connections = ConnectionRegistry<Session>;
extern template class ConnectionRegistry<Session>;

void start_session(boost::asio::ip::tcp::socket socket, const HttpSettings& settings, api::Service& service,
                   Logger& logger, Connections& connections);

}  // namespace server
