#include "server/limit_report.hpp"

#include "server/logger.hpp"

namespace server {
namespace {
constexpr std::chrono::seconds report_interval{5};
}

bool LimitReport::Counter::due(std::chrono::steady_clock::time_point now) {
    ++since_last_line;
    if (last_line != std::chrono::steady_clock::time_point{} && now - last_line < report_interval) return false;
    last_line = now;
    return true;
}

void LimitReport::limit_hit(Counter& counter, const char* action, std::size_t open_connections, Logger& logger) {
    if (!counter.due(std::chrono::steady_clock::now())) return;
    logger.log(api::LogLevel::warn, prefix_ + "connection_limit",
               {{"action", action},
                {"open_connections", std::to_string(open_connections)},
                {"count", std::to_string(counter.since_last_line)}});
    counter.since_last_line = 0;
}

void LimitReport::shed(std::size_t open_connections, Logger& logger) {
    limit_hit(shed_, "shed", open_connections, logger);
}

void LimitReport::refused(std::size_t open_connections, Logger& logger) {
    limit_hit(refused_, "refused", open_connections, logger);
}

void LimitReport::accept_failed(const std::string& error, Logger& logger) {
    if (!failed_.due(std::chrono::steady_clock::now())) return;
    logger.log(api::LogLevel::error, prefix_ + "accept_failed",
               {{"error", error}, {"count", std::to_string(failed_.since_last_line)}});
    failed_.since_last_line = 0;
}

}  // namespace server
