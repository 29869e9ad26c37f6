#pragma once
// The HTTP listener: Asio accept loop, Beast sessions, graceful shutdown. No Boost types here,
// so main() and tests include it cheaply.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace api {
class Service;
}

namespace server {

class Logger;

struct HttpSettings {
    unsigned threads = 2;
    std::size_t max_body = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;         // larger headers get 431
    // Open connections at most; at the limit the longest idle one is closed to make room. The
    // caller keeps it below the descriptor limit (see descriptor_limit.hpp).
    std::size_t max_connections = 960;
    std::chrono::milliseconds idle_timeout{30'000};    // keep-alive: waiting for a request's first byte
    std::chrono::milliseconds header_timeout{10'000};  // from its first byte to the end of its headers
    std::chrono::milliseconds read_timeout{30'000};    // the body, after the headers
    std::chrono::milliseconds write_timeout{30'000};
    std::chrono::milliseconds shutdown_grace{4'500};  // SIGTERM: in-flight requests get this long
};

class BindError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class HttpServer {
public:
    // Binds and listens at once; throws BindError naming the address on failure.
    HttpServer(const std::string& host, std::uint16_t port, const HttpSettings& settings, api::Service& service,
               Logger& logger);
    ~HttpServer();

    // "http://127.0.0.1:43817": the address actually bound (the real port when asked for 0).
    std::string url() const;

    // Serves the same API over TLS on a second address, presenting `chain_pem` (leaf first) with
    // its key. Before run(); throws BindError naming the address, or for an unusable identity.
    void listen_tls(const std::string& host, std::uint16_t port, const std::string& chain_pem,
                    const std::string& private_key_pem);
    // "https://127.0.0.1:43818", or "" without listen_tls.
    std::string tls_url() const;

    // Runs `then` on the server's threads after `delay` (an Asio timer: no thread waits). Keeps
    // run() from returning before it fires, unless the server is shut down first.
    void after(std::chrono::milliseconds delay, std::function<void()> then);

    // Serves on `threads` threads until stop() or SIGINT/SIGTERM; returns once shut down.
    void run();
    // Stops accepting, lets requests in flight finish (up to shutdown_grace), closes idle
    // connections. Safe from any thread.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace server
