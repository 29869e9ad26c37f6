#pragma once
// Reading the times and durations a test suite sends to the control plane.
#include <chrono>
#include <optional>
#include <string_view>

#include "api/time_format.hpp"

namespace api::emulator {

// RFC 3339: "2027-01-01T00:00:00Z", with optional fraction and "+hh:mm"/"-hh:mm" offset.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// "90d", "36h", "15m", "30s", "250ms", or a bare number of seconds ("3600"). Negative refused:
// time only moves forward, so stored lifecycles never see it run backwards.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace api::emulator
