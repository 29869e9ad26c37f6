#pragma once
// The emulator's one clock: real time by default, settable and advanceable by a test suite.
//
// It keeps an offset from the real clock rather than a frozen instant: after set() or advance()
// time keeps flowing at the real rate, so request durations, key-pool waits and lifecycle timers
// behave as they would live, and a test that needs "90 days later" advances instead of waiting.
// Thread-safe: the offset is one atomic, read on every request without a lock.
#include <atomic>
#include <chrono>
#include <functional>

#include "api/time_text.hpp"

namespace api::emulator {

class Clock {
public:
    using Source = std::function<TimePoint()>;

    Clock();                              // std::chrono::system_clock
    explicit Clock(Source real);          // a fake real clock, for tests

    TimePoint now() const;
    // From now on now() reads `instant` plus the real time elapsed since this call. False (and
    // nothing changed) for an instant outside earliest_instant()..latest_instant() (time_text.hpp):
    // the nanosecond count would wrap, and certificates be dated centuries away.
    bool set(TimePoint instant);
    // False (and nothing changed) when now() would pass latest_instant(). Milliseconds, as the
    // control plane sends them: a thousand years of them fit, in nanoseconds they would wrap.
    bool advance(std::chrono::milliseconds by);
    // Back to real time.
    void reset() noexcept { offset_.store(0); }
    std::chrono::system_clock::duration offset() const noexcept {
        return std::chrono::system_clock::duration{offset_.load()};
    }

private:
    Source real_;
    std::atomic<std::chrono::system_clock::rep> offset_{0};
};

}  // namespace api::emulator
