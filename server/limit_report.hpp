#pragma once
// Logs the connection limit being hit without flooding the log: under a flood of connections
// (or with descriptors exhausted) the first event is logged at once, later ones are counted and
// summed up in one line at most every few seconds. Used only on the acceptor's strand.
#include <chrono>
#include <cstddef>
#include <string>

namespace server {

class Logger;

class LimitReport {
public:
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
};

}  // namespace server
