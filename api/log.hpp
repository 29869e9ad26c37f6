#pragma once
// api/ reports noteworthy events (an unexpected exception, ...) through a sink the server owns.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace api {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

// One structured event: a name plus key=value fields.
using LogFields = std::vector<std::pair<std::string, std::string>>;
inline const char* log_level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
    }
    return "info";
}

using LogSink = std::function<void(LogLevel, std::string_view event, const LogFields&)>;

}  // namespace api
