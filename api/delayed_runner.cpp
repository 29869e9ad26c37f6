#include "api/delayed_runner.hpp"

namespace api {

DelayedRunner::~DelayedRunner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DelayedRunner::run_after(std::chrono::milliseconds delay, std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        due_.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
        if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    }
    changed_.notify_all();
}

void DelayedRunner::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (due_.empty()) {
            changed_.wait(lock);
            continue;
        }
        auto first = due_.begin();
        if (first->first > std::chrono::steady_clock::now()) {
            changed_.wait_until(lock, first->first);
            continue;
        }
        auto task = std::move(first->second);
        due_.erase(first);
        lock.unlock();  // a task may schedule another
        task();
        lock.lock();
    }
    auto dropped = std::move(due_);
    lock.unlock();  // their destructors may answer (a Responder's 500), never under our lock
}

}  // namespace api
