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
#include <boost/asio/ssl/context.hpp>

#include "server/connection_registry.hpp"
#include "server/http_server.hpp"

namespace server {

// What the registry sees of a connection, plain or TLS (session.cpp).
class SessionBase {
public:
    virtual ~SessionBase() = default;
    // Where the connection is, as the registry sees it when choosing one to shed. Ranked: the
    // lower, the sooner it is shed.
    enum class Phase : int { idle = 0, header = 1, body = 2, busy = 3 };
    virtual Phase phase() const = 0;
    virtual std::chrono::steady_clock::rep phase_since() const = 0;
    virtual bool being_shed() const = 0;
    virtual void claim_for_shedding() = 0;
    virtual void shed() = 0;
    virtual void request_shutdown() = 0;
};

// The API's live connections (see connection_registry.hpp), instantiated in session.cpp.
using Connections = ConnectionRegistry<SessionBase>;
extern template class ConnectionRegistry<SessionBase>;

void start_session(boost::asio::ip::tcp::socket socket, const HttpSettings& settings, api::Service& service,
                   Logger& logger, Connections& connections);
// The same over TLS: the handshake first (within the header timeout), with `context`'s identity.
void start_tls_session(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context,
                       const HttpSettings& settings, api::Service& service, Logger& logger, Connections& connections);

}  // namespace server
