#pragma once
// Reading the times and durations a test suite sends to the control plane.
#include <chrono>
#include <optional>
#include <string_view>

#include "api/time_format.hpp"

namespace api::emulator {

// The instants the control plane accepts (clock, journal since/until, --clock-start): from the
// Unix epoch to the end of 2199. The clock counts nanoseconds in 64 bits, which wrap outside
// 1677-09-21..2262-04-11 (9999 became 1816 before this range); the years to 2262 stay free for
// what is computed from "now" (certificates valid up to 10 years, lifecycle deadlines).
TimePoint earliest_instant();  // 1970-01-01T00:00:00Z
TimePoint latest_instant();    // 2199-12-31T23:59:59.999999999Z
inline constexpr std::string_view instant_range_text = "from 1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z";

// RFC 3339: "2027-01-01T00:00:00Z", with optional fraction and "+hh:mm"/"-hh:mm" offset (at most
// 23:59 either way). nullopt for anything else, and for an instant outside the range above.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// "90d", "36h", "15m", "30s", "250ms", or a bare number of seconds ("3600"). Negative refused:
// time only moves forward, so stored lifecycles never see it run backwards.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace api::emulator
