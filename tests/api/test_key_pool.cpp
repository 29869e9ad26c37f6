#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "api/key_pool.hpp"
#include "crypto/keys.hpp"
#include "support/eventually.hpp"

namespace {

// What an acquire callback was given, and the thread it ran on.
struct KeyServed {
    std::string key;
    std::exception_ptr error;
    std::thread::id thread;
};

api::KeyPool::KeyCallback record_into(KeyServed& served) {
    return [&served](std::string pem, std::exception_ptr error) {
        served = {std::move(pem), error, std::this_thread::get_id()};
    };
}

}  // namespace

TEST_CASE("the key pool keeps RSA-2048 keys ready and serves waiters from its workers") {
    api::KeyPool pool(2, 1);
    // The pool fills itself in the background.
    REQUIRE_EVENTUALLY(pool.ready_count() == 2);

    // A ready key is handed over on the caller's thread.
    const std::thread::id caller = std::this_thread::get_id();
    KeyServed served;
    pool.acquire_rsa2048(record_into(served));
    REQUIRE_FALSE(served.error);
    CHECK(served.thread == caller);
    const std::string key = served.key;
    CHECK(crypto::key_type_of_private_key(key) == crypto::KeyType::rsa2048);

    // More requests than ready keys: the rest are made by the worker, off the caller's thread.
    std::vector<std::future<std::pair<std::string, std::thread::id>>> results;
    std::vector<std::shared_ptr<std::promise<std::pair<std::string, std::thread::id>>>> promises;
    for (int i = 0; i < 4; ++i) {
        auto p = std::make_shared<std::promise<std::pair<std::string, std::thread::id>>>();
        results.push_back(p->get_future());
        pool.acquire_rsa2048([p](std::string pem, std::exception_ptr) { p->set_value({pem, std::this_thread::get_id()}); });
    }
    std::set<std::string> keys{key};
    int off_thread = 0;
    for (auto& r : results) {
        auto [pem, thread] = r.get();
        keys.insert(pem);
        off_thread += thread != caller;
    }
    CHECK(keys.size() == 5);  // every request got its own key
    CHECK(off_thread >= 3);   // at most one ready key was left for the caller's thread
}

TEST_CASE("stopping the pool drops queued callbacks without calling them") {
    auto pool = std::make_unique<api::KeyPool>(0, 1);
    std::atomic<int> called{0};
    for (int i = 0; i < 50; ++i) pool->acquire_rsa2048([&](std::string, std::exception_ptr) { ++called; });
    pool->stop();
    CHECK(called < 50);
    CHECK(pool->waiting_count() == 0);
}

TEST_CASE("a fixed-key pool (the fuzzers') hands its one key to every request at once, with no workers") {
    api::KeyPool pool(std::string("-----BEGIN PRIVATE KEY-----\nfixed\n-----END PRIVATE KEY-----\n"));
    for (int i = 0; i < 3; ++i) {
        KeyServed served;
        pool.acquire_rsa2048(record_into(served));
        CHECK_FALSE(served.error);
        CHECK(served.thread == std::this_thread::get_id());
        CHECK(served.key.find("fixed") != std::string::npos);
    }
    CHECK(pool.waiting_count() == 0);
    pool.stop();
}

TEST_CASE("a key pool made without starting makes no key until start(), then fills") {
    api::KeyPool pool(1, 0, false);  // 0 workers: one per core
    // A sleep because an absence has nothing to wait on: a short pause in which a worker started
    // too early could already have handed in a key.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(pool.ready_count() == 0);
    pool.start();
    pool.start();  // a second start changes nothing
    CHECK_EVENTUALLY(pool.ready_count() == 1);
    pool.stop();
    pool.start();  // not after stop()
}

TEST_CASE("workers refilling the pool together make only the keys it lacks") {
    // Two workers start at once for one missing key: the one that finds the refill already being
    // made goes back to sleep (before, both made a key and the queue ended one above its target).
    api::KeyPool pool(1, 2, true);
    CHECK_EVENTUALLY(pool.ready_count() == 1);
    pool.stop();  // joins the workers: a key still being made would be counted by now
    CHECK(pool.made_count() == 1);
    CHECK(pool.ready_count() == 1);
}

TEST_CASE("hurry() serves the requests that wait, with workers of its own, and makes no refills") {
    // Not started: no low-priority worker runs, so only hurry()'s workers can answer.
    api::KeyPool pool(2, 1, false);
    std::atomic<bool> answered{false};
    pool.acquire_rsa2048([&](std::string pem, std::exception_ptr error) {
        CHECK_FALSE(error);
        CHECK(pem.find("PRIVATE KEY") != std::string::npos);
        answered = true;
    });
    CHECK(pool.waiting_count() == 1);
    pool.hurry();
    CHECK_EVENTUALLY(answered.load());
    CHECK(pool.made_count() == 1);  // the waiting request's key (counted before it is handed over)
    CHECK(pool.ready_count() == 0);  // and no refill towards the target of 2
    // A pool hurried before it started still starts its own workers, which refill it.
    pool.start();
    CHECK_EVENTUALLY(pool.ready_count() == 2);
    pool.stop();
    CHECK(pool.made_count() == 3);
}
