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

#include "server/http_server.hpp"

namespace server {

class Session;

// The live connections: shutdown closes idle ones and waits for busy ones, and at the connection
// limit the one that matters least makes room for a newcomer.
class Connections {
public:
    Connections() = default;
    Connections(const Connections&) = delete;
    Connections& operator=(const Connections&) = delete;
    // Aborts if a session is still registered: its destructor would then use a destroyed registry
    // (the io_context, which owns the last sessions, must go first).
    ~Connections();

    std::uint64_t add(const std::shared_ptr<Session>& session);
    void remove(std::uint64_t id);
    std::size_t size();
    void shutdown_all();  // idle connections close now, busy ones after their response

    // Closes one connection that is not being answered: the longest idle first, then the one
    // that has spent longest sending its headers (a slow-loris), then its body. False when every
    // connection is busy with a request.
    bool shed_one();

private:
    std::mutex mutex_;
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;
};

void start_session(boost::asio::ip::tcp::socket socket, const HttpSettings& settings, api::Service& service,
                   Logger& logger, Connections& connections);

}  // namespace server
