#include "server/logger.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "api/clock.hpp"

namespace server {
namespace {

const char* level_name(api::LogLevel level) {
    switch (level) {
        case api::LogLevel::debug: return "debug";
        case api::LogLevel::info: return "info";
        case api::LogLevel::warn: return "warn";
        case api::LogLevel::error: return "error";
    }
    return "info";
}

void append_value(std::string& line, std::string_view value) {
    bool quote = value.empty() || value.find_first_of(" \"=\t\n\r\\") != std::string_view::npos;
    if (!quote) {
        line += value;
        return;
    }
    line += '"';
    for (char c : value) {
        switch (c) {
            case '"': line += "\\\""; break;
            case '\\': line += "\\\\"; break;
            case '\n': line += "\\n"; break;
            case '\r': line += "\\r"; break;
            case '\t': line += "\\t"; break;
            default: line += c;
        }
    }
    line += '"';
}

}  // namespace

void Logger::log(api::LogLevel level, std::string_view event, const api::LogFields& fields) {
    if (!enabled(level)) return;
    std::string line = "ts=" + api::rfc3339_micros(std::chrono::system_clock::now()) + " level=" + level_name(level) +
                       " event=";
    append_value(line, event);
    for (const auto& [key, value] : fields) {
        line += ' ';
        line += key;
        line += '=';
        append_value(line, value);
    }
    line += '\n';
    std::lock_guard guard(mutex_);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

api::LogSink Logger::sink() {
    return [this](api::LogLevel level, std::string_view event, const api::LogFields& fields) {
        log(level, event, fields);
    };
}

}  // namespace server
