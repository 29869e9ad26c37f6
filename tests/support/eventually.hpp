#pragma once
// Waiting for something another thread or process brings about (a key worker, the settler, a
// log line, a child's exit), without a hand-written poll loop in each test: eventually() asks
// the question again after a short pause until it holds or a bounded wait has passed.
//
// The wait is a limit, not a threshold: a condition that holds returns at once, so a generous
// limit costs nothing on a fast machine and keeps a sanitized build on a loaded one from
// failing for being slow. A test that needs time to pass inside the emulator advances its clock
// (POST /_emulator/clock) instead.
// No doctest here: the support code outside doctest (dnsmasq.cpp, in the dns_fixture tool too)
// uses eventually(); the assertion forms at the end expand in test files, which include it.
#include <chrono>
#include <thread>

namespace test_support {

// The default limit: ample for a sanitized build on two busy cores.
inline constexpr std::chrono::milliseconds eventually_limit = std::chrono::seconds(30);
// The default pause between two looks: short next to anything awaited, long enough not to spin.
inline constexpr std::chrono::milliseconds eventually_pause = std::chrono::milliseconds(10);
static_assert(eventually_limit == std::chrono::seconds(30), "the assertion messages below say 30 s");

// Calls `holds` until it returns true (true) or `limit` has passed (false, after one last look).
// `holds` may record what it read, for the checks that follow.
template <class Predicate>
[[nodiscard]] bool eventually(Predicate&& holds, std::chrono::milliseconds limit = eventually_limit,
                              std::chrono::milliseconds pause = eventually_pause) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const bool past = std::chrono::steady_clock::now() >= deadline;
        if (holds()) return true;
        if (past) return false;
        std::this_thread::sleep_for(pause);  // the pause between looks; nothing to wait on instead
    }
}

}  // namespace test_support

// The assertion forms: a failure names the condition that never came to hold, e.g.
//   REQUIRE_EVENTUALLY(pool.ready_count() == 2);
// fails with "never held within 30 s: pool.ready_count() == 2".
#define CHECK_EVENTUALLY(...)                                                                   \
    CHECK_MESSAGE(::test_support::eventually([&] { return static_cast<bool>(__VA_ARGS__); }), \
                  "never held within 30 s: " #__VA_ARGS__)
#define REQUIRE_EVENTUALLY(...)                                                                   \
    REQUIRE_MESSAGE(::test_support::eventually([&] { return static_cast<bool>(__VA_ARGS__); }), \
                    "never held within 30 s: " #__VA_ARGS__)
