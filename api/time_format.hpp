#pragma once
// Time enters api/ from the context (tests pin it); this formats it the way Cloudflare does.
#include <chrono>
#include <string>

namespace api {

using TimePoint = std::chrono::system_clock::time_point;

// RFC 3339 in UTC with microseconds, e.g. "2026-11-26T09:43:55.123456Z". Fixed width, so the
// text sorts in time order.
std::string rfc3339_micros(TimePoint t);
// RFC 3339 in UTC, whole seconds, e.g. "2027-02-24T09:43:55Z" (certificate validity times).
std::string rfc3339_seconds(TimePoint t);

}  // namespace api
