#pragma once
// Days in seconds and the RFC 3339 text of a time, as the API and certificates show them.
#include <cstdint>
#include <ctime>
#include <string>

namespace test_support {

inline constexpr std::int64_t day = 86400;

// "2026-11-26T10:25:29Z", the form expires_on takes.
inline std::string rfc3339(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace test_support
