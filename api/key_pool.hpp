#pragma once
// RSA-2048 keys take tens to hundreds of milliseconds to generate, so they are made on worker
// threads, never on the threads serving sockets. A few are kept ready ahead of requests; a
// request that finds none waits (without blocking a thread) until a worker makes one.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace api {

class KeyPool {
public:
    // Called with the key PEM, or with an exception when generation failed.
    using KeyCallback = std::function<void(std::string private_key_pem, std::exception_ptr error)>;

    // No workers: every request gets `key` at once. For fuzzers, where generating an RSA key per
    // request would make key generation all they measure.
    explicit KeyPool(std::string fixed_key);
    // workers 0: one per core. The workers run at a lower priority than the threads serving
    // requests (nice 10, SCHED_BATCH), so making keys does not delay reads. With start_workers
    // false they wait for start(), e.g. until the server listens.
    KeyPool(unsigned ready_target, unsigned workers, bool start_workers = true);
    ~KeyPool();
    KeyPool(const KeyPool&) = delete;
    KeyPool& operator=(const KeyPool&) = delete;

    // Hands over a ready key at once (on the caller's thread), or queues the callback for the
    // next key a worker makes (on that worker's thread). Callbacks are served first come,
    // first served.
    void acquire_rsa2048(KeyCallback callback);

    // A ready key if there is one (a worker then makes its replacement), else nullopt, and a
    // worker makes one for the ready queue (even with a ready target of 0): for work that looks
    // again later (when_rsa2048_ready, the settler's next tick) and never makes its own.
    std::optional<std::string> try_take_rsa2048();

    // Calls `then` once a key is ready: at once (on the caller's thread) when one is, else on the
    // thread of the worker that put the next one in the ready queue. The key is not reserved:
    // `then` takes it with try_take_rsa2048() and may find it gone (then it waits again).
    // Dropped uncalled at stop(), like queued acquire callbacks.
    void when_rsa2048_ready(std::function<void()> then);

    // Starts the workers (once; not after stop()).
    void start();

    // Joins the workers; queued callbacks are dropped without being called. Must run before the
    // executor those callbacks post to goes away.
    void stop();

    // Shutdown: the requests still waiting for a key have only the grace period left, and the
    // workers' low priority can make them outlast it on a busy machine. Starts as many workers
    // again at the caller's priority (a serving thread's), making keys only for requests that
    // wait, never refills. Once; not after stop().
    void hurry();

    std::size_t ready_count();
    // Requests that have no key yet: queued, or claimed by a worker making theirs, or waiting for
    // one to be ready.
    std::size_t waiting_count();
    // RSA keys the workers have made since the start (a fixed key counts none).
    std::size_t made_count();

private:
    // refill_too: also keeps the ready queue at its target (the low-priority workers); without, makes
    // keys only for requests that wait (the workers hurry() adds).
    void work(bool refill_too);

    const std::size_t ready_target_;
    const unsigned worker_count_;
    const std::string fixed_key_;  // non-empty: handed to every request, no workers
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> ready_;
    std::deque<KeyCallback> waiting_;
    std::size_t claimed_ = 0;  // requests a worker took from waiting_ and makes a key for
    std::vector<std::function<void()>> ready_listeners_;  // when_rsa2048_ready() callers
    std::size_t asked_ = 0;    // keys for the ready queue beyond ready_target_, asked by misses
    std::size_t refilling_ = 0;  // keys being made to bring the ready queue up to ready_target_
    std::size_t made_ = 0;
    bool stopping_ = false;
    bool started_ = false;  // start() ran (workers_ may also hold hurry()'s)
    bool hurried_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace api
