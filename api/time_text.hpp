#pragma once
// Time as text, in one place: what the API writes (RFC 3339 in UTC with microseconds or whole
// seconds, the HTTP Date header) and the one RFC 3339 reader, over the range of instants the
// emulator holds. Time itself enters api/ from the context (tests pin it).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace api {

using TimePoint = std::chrono::system_clock::time_point;

// RFC 3339 in UTC with microseconds, e.g. "2026-11-26T09:43:55.123456Z". Fixed width, so the
// text sorts in time order (the stored timestamps rely on it).
std::string rfc3339_micros(TimePoint t);
// RFC 3339 in UTC, whole seconds, e.g. "2027-02-24T09:43:55Z" (certificate validity times).
std::string rfc3339_seconds(TimePoint t);
// The HTTP Date header (RFC 9110 IMF-fixdate), e.g. "Mon, 13 Jan 2020 05:54:52 GMT"; English names
// whatever the locale.
std::string http_date(TimePoint t);

// A certificate's validity time (Unix seconds, as crypto/ reports it) as a time point.
TimePoint from_unix_seconds(std::int64_t seconds);

// The instants the emulator accepts as text (stored rows, the control plane's clock, journal
// since/until, --clock-start): from the Unix epoch to the end of 2199. The clock counts
// nanoseconds in 64 bits, which wrap outside 1677-09-21..2262-04-11; the years to 2262 stay free
// for what is computed from "now" (certificates valid up to 10 years, lifecycle deadlines).
TimePoint earliest_instant();  // 1970-01-01T00:00:00Z
TimePoint latest_instant();    // 2199-12-31T23:59:59.999999999Z
inline constexpr std::string_view instant_range_text = "from 1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z";

// RFC 3339: "2027-01-01T00:00:00Z", with an optional fraction and a "Z" or "+hh:mm"/"-hh:mm"
// offset (at most 23:59 either way); what rfc3339_micros and rfc3339_seconds write reads back
// exactly. nullopt for anything else, and for an instant outside the range above.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// "90d", "36h", "15m", "30s", "250ms", or a bare number of seconds ("3600"). Negative refused:
// time only moves forward, so stored lifecycles never see it run backwards.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace api
