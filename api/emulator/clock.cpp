#include "api/emulator/clock.hpp"

#include "api/time_text.hpp"

namespace api::emulator {

Clock::Clock() : Clock([] { return std::chrono::system_clock::now(); }) {}

Clock::Clock(Source real) : real_(std::move(real)) {}

TimePoint Clock::now() const { return real_() + offset(); }

bool Clock::set(TimePoint instant) {
    if (instant < earliest_instant() || instant > latest_instant()) return false;
    offset_.store((instant - real_()).count());
    return true;
}

bool Clock::advance(std::chrono::milliseconds by) {
    using std::chrono::system_clock;
    // A loop rather than fetch_add: two advances at once must not pass the limit together.
    auto current = offset_.load();
    while (true) {
        auto headroom = latest_instant() - (real_() + system_clock::duration{current});
        // Compared in milliseconds: `by` in nanoseconds could wrap before the comparison.
        if (by.count() < 0 || by > std::chrono::duration_cast<std::chrono::milliseconds>(headroom)) return false;
        if (offset_.compare_exchange_weak(current, current + std::chrono::duration_cast<system_clock::duration>(by).count()))
            return true;
    }
}

}  // namespace api::emulator
