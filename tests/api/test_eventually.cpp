// tests/support/eventually.hpp, the poll loop every test waits with: it returns as soon as the
// condition holds, gives up (false) once the limit has passed, and sees what another thread does.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support/eventually.hpp"

using test_support::eventually;

TEST_CASE("eventually: true at the first look when the condition already holds") {
    int looks = 0;
    CHECK(eventually([&] { return ++looks > 0; }));
    CHECK(looks == 1);
}

TEST_CASE("eventually: false once the limit has passed, after a last look past it") {
    int looks = 0;
    auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(eventually([&] { return ++looks < 0; }, std::chrono::milliseconds(50), std::chrono::milliseconds(5)));
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(50));
    CHECK(looks >= 2);
}

TEST_CASE("eventually: sees a change another thread makes") {
    std::atomic<bool> done{false};
    std::thread other([&] { done = true; });
    REQUIRE_EVENTUALLY(done.load());
    other.join();
}
