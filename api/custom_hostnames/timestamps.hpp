#pragma once
// Reading back the times api/time_format.hpp writes, so lifecycle timers can resume from stored rows.
#include <optional>
#include <string_view>

#include "api/time_format.hpp"

namespace api {

// "2026-11-26T09:43:55.123456Z" or "2026-11-26T09:43:55Z" (UTC, as rfc3339_micros /
// rfc3339_seconds write them) -> the time point; anything else -> nullopt.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace api
