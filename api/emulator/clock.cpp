#include "api/emulator/clock.hpp"

namespace api::emulator {

Clock::Clock() : Clock([] { return std::chrono::system_clock::now(); }) {}

Clock::Clock(Source real) : real_(std::move(real)) {}

TimePoint Clock::now() const { return real_() + offset(); }

void Clock::set(TimePoint instant) { offset_.store((instant - real_()).count()); }

void Clock::advance(std::chrono::system_clock::duration by) { offset_.fetch_add(by.count()); }

}  // namespace api::emulator
