#include "api/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace api {
namespace {

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

}  // namespace api
