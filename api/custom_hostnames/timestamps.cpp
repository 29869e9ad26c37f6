#include "api/custom_hostnames/timestamps.hpp"

#include <charconv>
#include <chrono>

namespace api {
namespace {

// Exactly `width` digits at `pos`, or -1.
int digits(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) return -1;
    int value = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, value);
    return (ec == std::errc() && end == text.data() + pos + width) ? value : -1;
}

}  // namespace

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.ffffff]Z
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text.back() != 'Z')
        return std::nullopt;
    int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return std::nullopt;
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                     std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) return std::nullopt;

    std::chrono::microseconds fraction{0};
    if (text.size() != 20) {
        std::string_view rest = text.substr(19, text.size() - 20);  // ".ffffff"
        if (rest.size() != 7 || rest[0] != '.') return std::nullopt;
        int micros = digits(rest, 1, 6);
        if (micros < 0) return std::nullopt;
        fraction = std::chrono::microseconds(micros);
    }
    auto since_epoch = std::chrono::sys_days(date).time_since_epoch() + std::chrono::hours(hour) +
                       std::chrono::minutes(minute) + std::chrono::seconds(second) + fraction;
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(since_epoch));
}

}  // namespace api
