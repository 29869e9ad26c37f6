#include "server/logger.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "api/time_text.hpp"

namespace server {
namespace {

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
    std::string line = "ts=" + api::rfc3339_micros(std::chrono::system_clock::now()) + " level=" + api::log_level_name(level) +
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
