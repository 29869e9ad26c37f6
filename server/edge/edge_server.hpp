#pragma once
// The edge: Cloudflare's side of a customer's hostname. A TLS listener that presents, per SNI,
// the certificate of the custom hostname (or zone custom certificate) and proxies HTTP/1.1 to
// the origin with Cloudflare's headers; and a plain-HTTP listener for validation tokens. Runs
// on its own io_context and threads, so edge load never queues behind or ahead of the API.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace storage {
class Database;
}

namespace server {

class Logger;

struct EdgeSettings {
    std::optional<std::pair<std::string, std::uint16_t>> tls_listen, http_listen;
    unsigned threads = 2;
    std::uint16_t origin_port = 80;
    std::vector<std::pair<std::string, std::string>> resolve;  // origin host -> IP
    std::chrono::milliseconds connect_timeout{19'000};
    std::chrono::milliseconds read_timeout{120'000};
    bool unrecognized_name_alert = false;  // else handshake_failure
    bool always_https = false;
    // Visitor connections open at most (TLS handshakes included); at the limit the longest idle,
    // then the oldest unfinished handshake, then the slowest headers, is closed to make room.
    std::size_t max_connections = 240;
    std::uint64_t max_body = 100ull * 1024 * 1024;  // a visitor's request body; then 413
    // The emulator's clock, for certificate expiry (main sets the API's); empty: the system clock.
    std::function<std::chrono::system_clock::time_point()> now;
};

class EdgeServer {
public:
    // Binds the configured listeners at once; throws BindError naming the address on failure.
    EdgeServer(const EdgeSettings& settings, storage::Database& db, Logger& logger);
    ~EdgeServer();

    // "https://127.0.0.1:8443" / "http://127.0.0.1:8080", or empty when that listener is off.
    std::string tls_url() const;
    std::string http_url() const;

    // Serves on its own threads; returns at once.
    void start();
    // Stops accepting and closes everything; joins the threads.
    void stop();

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

struct Config;
EdgeSettings edge_settings(const Config& config);

}  // namespace server
