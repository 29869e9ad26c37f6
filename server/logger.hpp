#pragma once
// Structured logging: one logfmt line per event on stderr (stdout carries only the
// "listening on" line that scripts wait for).
#include <mutex>
#include <string_view>

#include "api/log.hpp"

namespace server {

class Logger {
public:
    explicit Logger(api::LogLevel min_level) : min_level_(min_level) {}

    void log(api::LogLevel level, std::string_view event, const api::LogFields& fields = {});
    bool enabled(api::LogLevel level) const noexcept { return level >= min_level_; }
    api::LogSink sink();

private:
    api::LogLevel min_level_;
    std::mutex mutex_;
};

}  // namespace server
