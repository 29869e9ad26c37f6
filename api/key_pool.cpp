#include "api/key_pool.hpp"
#include "api/thread_priority.hpp"

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

void notify(std::function<void()>& listener) noexcept {
    try {
        listener();
    } catch (...) {
    }
}

unsigned resolve_workers(unsigned workers) {
    if (workers > 0) return workers;
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

KeyPool::KeyPool(unsigned ready_target, unsigned workers, bool start_workers)
    : ready_target_(ready_target), worker_count_(resolve_workers(workers)) {
    if (start_workers) start();
}

void KeyPool::start() {
    std::lock_guard guard(mutex_);
    if (stopping_ || started_) return;
    started_ = true;
    for (unsigned i = 0; i < worker_count_; ++i)
        workers_.emplace_back([this] {
            // Key generation yields to the serving threads: a tenth of their CPU share at nice 10.
            lower_thread_priority(10);
            work(true);
        });
}

void KeyPool::hurry() {
    std::lock_guard guard(mutex_);
    if (stopping_ || hurried_ || !fixed_key_.empty()) return;
    hurried_ = true;
    // Threads inherit their creator's priority: the caller's, not the low one of the workers.
    // (A refill's notify_one may now wake one of these, which sleeps again: no refill is wanted
    // by a process that is stopping.)
    for (unsigned i = 0; i < worker_count_; ++i) workers_.emplace_back([this] { work(false); });
}

KeyPool::KeyPool(std::string fixed_key) : ready_target_(0), worker_count_(0), fixed_key_(std::move(fixed_key)) {}

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
    std::vector<std::function<void()>> dropped_listeners;
    {
        std::lock_guard guard(mutex_);
        dropped.swap(waiting_);
        dropped_listeners.swap(ready_listeners_);
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

std::optional<std::string> KeyPool::try_take_rsa2048() {
    if (!fixed_key_.empty()) return fixed_key_;
    std::unique_lock lock(mutex_);
    if (ready_.empty()) {
        // One more key for the ready queue, up to one per worker: a request polled again and
        // again while it waits asks once per worker, not once per poll.
        if (asked_ < worker_count_) ++asked_;
        lock.unlock();
        wake_.notify_one();
        return std::nullopt;
    }
    std::string key = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    wake_.notify_one();  // refill
    return key;
}

void KeyPool::when_rsa2048_ready(std::function<void()> then) {
    if (fixed_key_.empty()) {
        std::unique_lock lock(mutex_);
        if (ready_.empty()) {
            if (stopping_) return;
            ready_listeners_.push_back(std::move(then));
            if (asked_ < worker_count_) ++asked_;
            lock.unlock();
            wake_.notify_one();
            return;
        }
    }
    then();
}

std::size_t KeyPool::made_count() {
    std::lock_guard guard(mutex_);
    return made_;
}

std::size_t KeyPool::ready_count() {
    std::lock_guard guard(mutex_);
    return ready_.size();
}

std::size_t KeyPool::waiting_count() {
    std::lock_guard guard(mutex_);
    return waiting_.size() + claimed_ + ready_listeners_.size();
}

void KeyPool::work(bool refill_too) {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this, refill_too] {
            return stopping_ || !waiting_.empty() || asked_ > 0 ||
                   (refill_too && ready_.size() + refilling_ < ready_target_);
        });
        if (stopping_) return;
        // A waiting request is served by the key this worker makes next; claim it now so two
        // workers do not make keys for the same request.
        KeyCallback claimed;
        bool refill = false;
        if (!waiting_.empty()) {
            claimed = std::move(waiting_.front());
            waiting_.pop_front();
            ++claimed_;
        } else if (asked_ > 0) {
            --asked_;  // this key goes to the ready queue for whoever asked
        } else {
            // A refill, counted while it is made: two workers woken for one missing key would
            // otherwise both make one, and the queue would end above its target.
            ++refilling_;
            refill = true;
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
            // No longer counted as waiting before it is answered: counted after, a request the
            // journal already shows answered would be counted twice by whoever adds the two up
            // (a worker at low priority can be held between the answer and the count for long).
            lock.lock();
            if (!error) ++made_;
            --claimed_;
            lock.unlock();
            deliver(claimed, std::move(key), error);
            lock.lock();
            continue;
        }
        if (error) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // do not spin on a broken RNG
        lock.lock();
        if (refill) --refilling_;
        if (!error) {
            ++made_;
            if (!waiting_.empty()) {
                // A request arrived while we worked: it gets this key directly.
                KeyCallback next = std::move(waiting_.front());
                waiting_.pop_front();
                lock.unlock();
                deliver(next, std::move(key), nullptr);
                lock.lock();
            } else {
                ready_.push_back(std::move(key));
                // Those waiting for a ready key look now; each takes one or waits again.
                std::vector<std::function<void()>> listeners;
                listeners.swap(ready_listeners_);
                if (!listeners.empty()) {
                    lock.unlock();
                    for (auto& listener : listeners) notify(listener);
                    lock.lock();
                }
            }
        }
    }
}

}  // namespace api
