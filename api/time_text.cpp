#include "api/time_text.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace api {
namespace {


// Reads exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// In seconds, whose 64-bit count cannot wrap for any four-digit year.
constexpr std::chrono::sys_seconds earliest_second{std::chrono::sys_days{std::chrono::year{1970} / 1 / 1}};
constexpr std::chrono::sys_seconds end_second{std::chrono::sys_days{std::chrono::year{2200} / 1 / 1}};

std::string format(TimePoint t, bool micros) {
    auto since_epoch = t.time_since_epoch();
    auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
    auto fraction = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count();
    std::time_t tt = static_cast<std::time_t>(seconds.count());
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out(buf, n);
    if (micros) {
        char frac[32];
        std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(fraction));
        out += frac;
    }
    out += 'Z';
    return out;
}

}  // namespace

std::string rfc3339_micros(TimePoint t) { return format(t, true); }
std::string rfc3339_seconds(TimePoint t) { return format(t, false); }

std::string http_date(TimePoint t) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
    // Every answer carries one, and a second's answers mostly the same: formatted once per
    // second and thread.
    thread_local bool cached = false;
    thread_local std::time_t cached_seconds = 0;
    thread_local std::string cached_text;
    if (cached && seconds == cached_seconds) return cached_text;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    // Fixed English names: strftime's %a/%b follow the locale.
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char out[40];
    std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached = true;
    cached_seconds = seconds;
    cached_text = out;
    return cached_text;
}

TimePoint from_unix_seconds(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

TimePoint earliest_instant() { return TimePoint{earliest_second.time_since_epoch()}; }

TimePoint latest_instant() { return TimePoint{end_second.time_since_epoch()} - std::chrono::system_clock::duration{1}; }

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    // YYYY-MM-DDTHH:MM:SS
    auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                        std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    sys_seconds t = sys_days{date} + hours{*hour} + minutes{*minute} + seconds{*second};
    std::size_t pos = 19;
    system_clock::duration fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::int64_t nanos = 0, scale = 100'000'000;
        std::size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            nanos += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
        fraction = duration_cast<system_clock::duration>(nanoseconds{nanos});
    }
    if (pos >= text.size()) return std::nullopt;  // the offset is mandatory in RFC 3339
    sys_seconds utc = t;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        if (pos + 1 != text.size()) return std::nullopt;
    } else {
        if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
        auto off_h = digits(text, pos + 1, 2), off_m = digits(text, pos + 4, 2);
        if (!off_h || !off_m || text.size() != pos + 6 || text[pos + 3] != ':') return std::nullopt;
        if (*off_h > 23 || *off_m > 59) return std::nullopt;  // RFC 3339: time-numoffset is a time-hour:time-minute
        auto offset = hours{*off_h} + minutes{*off_m};
        utc = text[pos] == '+' ? t - offset : t + offset;
    }
    // Checked in seconds, before the conversion to the clock's nanoseconds could wrap.
    if (utc < earliest_second || utc >= end_second) return std::nullopt;
    return TimePoint{duration_cast<system_clock::duration>(utc.time_since_epoch()) + fraction};
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    using namespace std::chrono;
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data() || number < 0) return std::nullopt;
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    constexpr std::int64_t max_days = 365LL * 1000;  // keeps every product far from overflow
    if (number > max_days * 86'400'000) return std::nullopt;
    std::int64_t factor;
    if (unit.empty() || unit == "s") factor = 1000;
    else if (unit == "ms") factor = 1;
    else if (unit == "m") factor = 60'000;
    else if (unit == "h") factor = 3'600'000;
    else if (unit == "d") factor = 86'400'000;
    else return std::nullopt;
    if (number > max_days * 86'400'000 / factor) return std::nullopt;
    return milliseconds{number * factor};
}

}  // namespace api
