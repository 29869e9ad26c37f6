#pragma once
// Logs the connection limit being hit without flooding the log: under a flood of connections
// (or with descriptors exhausted) the first event is logged at once, later ones are counted and
// summed up in one line at most every few seconds. Used only on the acceptor's strand.
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>

namespace server {

class Logger;

class LimitReport {
public:
    // event_prefix names the listener in the events ("edge_" for the edge; none for the API).
    explicit LimitReport(std::string event_prefix = {}) : prefix_(std::move(event_prefix)) {}

    void shed(std::size_t open_connections, Logger& logger);     // a connection not being answered made room
    void refused(std::size_t open_connections, Logger& logger);  // nothing to shed: newcomer closed
    void accept_failed(const std::string& error, Logger& logger);

private:
    struct Counter {
        std::size_t since_last_line = 0;
        std::chrono::steady_clock::time_point last_line{};
        bool due(std::chrono::steady_clock::time_point now);
    };
    void limit_hit(Counter& counter, const char* action, std::size_t open_connections, Logger& logger);
    Counter shed_, refused_, failed_;
    std::string prefix_;
};

}  // namespace server
