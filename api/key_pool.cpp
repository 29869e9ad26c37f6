#include "api/key_pool.hpp"

#include <algorithm>
#include <chrono>

#include "crypto/keys.hpp"

namespace api {
namespace {

// Callbacks answer their own errors; nothing they throw may end a worker.
void deliver(KeyPool::KeyCallback& callback, std::string key, std::exception_ptr error) noexcept {
    try {
        callback(std::move(key), error);
    } catch (...) {
    }
}

}  // namespace

KeyPool::KeyPool(unsigned ready_target, unsigned workers) : ready_target_(ready_target) {
    for (unsigned i = 0; i < std::max(1u, workers); ++i) workers_.emplace_back([this] { work(); });
}

KeyPool::KeyPool(std::string fixed_key) : ready_target_(0), fixed_key_(std::move(fixed_key)) {}

KeyPool::~KeyPool() { stop(); }

void KeyPool::stop() {
    {
        std::lock_guard guard(mutex_);
        if (stopping_ && workers_.empty()) return;
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_)
        if (worker.joinable()) worker.join();
    workers_.clear();
    std::deque<KeyCallback> dropped;
    {
        std::lock_guard guard(mutex_);
        dropped.swap(waiting_);
    }
}

void KeyPool::acquire_rsa2048(KeyCallback callback) {
    if (!fixed_key_.empty()) return callback(fixed_key_, nullptr);
    std::unique_lock lock(mutex_);
    if (!ready_.empty()) {
        std::string key = std::move(ready_.front());
        ready_.pop_front();
        lock.unlock();
        wake_.notify_one();  // refill
        callback(std::move(key), nullptr);
        return;
    }
    waiting_.push_back(std::move(callback));
    lock.unlock();
    wake_.notify_one();
}

std::size_t KeyPool::ready_count() {
    std::lock_guard guard(mutex_);
    return ready_.size();
}

std::size_t KeyPool::waiting_count() {
    std::lock_guard guard(mutex_);
    return waiting_.size();
}

void KeyPool::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !waiting_.empty() || ready_.size() < ready_target_; });
        if (stopping_) return;
        // A waiting request is served by the key this worker makes next; claim it now so two
        // workers do not make keys for the same request.
        KeyCallback claimed;
        if (!waiting_.empty()) {
            claimed = std::move(waiting_.front());
            waiting_.pop_front();
        }
        lock.unlock();
        std::string key;
        std::exception_ptr error;
        try {
            key = crypto::generate_private_key(crypto::KeyType::rsa2048);
        } catch (...) {
            error = std::current_exception();
        }
        if (claimed) {
            deliver(claimed, std::move(key), error);
            lock.lock();
            continue;
        }
        if (error) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // do not spin on a broken RNG
        lock.lock();
        if (!error) {
            if (!waiting_.empty()) {
                // A request arrived while we worked: it gets this key directly.
                KeyCallback next = std::move(waiting_.front());
                waiting_.pop_front();
                lock.unlock();
                deliver(next, std::move(key), nullptr);
                lock.lock();
            } else {
                ready_.push_back(std::move(key));
            }
        }
    }
}

}  // namespace api
