#pragma once
// Runs functions after a delay on one thread of its own, started on first use and joined when the
// runner goes: Context::after's default where no server supplies a timer (unit tests). Tasks still
// waiting at destruction are dropped unrun (a dropped Responder answers 500, see responder.hpp).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace api {

class DelayedRunner {
public:
    DelayedRunner() = default;
    ~DelayedRunner();
    DelayedRunner(const DelayedRunner&) = delete;
    DelayedRunner& operator=(const DelayedRunner&) = delete;

    void run_after(std::chrono::milliseconds delay, std::function<void()> task);

private:
    void loop();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> due_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace api
