#include "api/origin_ca/roots.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "storage/origin_ca_repository.hpp"

namespace api {
namespace {

crypto::OriginCaRoot load_or_create(storage::OriginCaRepository& repository, crypto::OriginRootKind kind, TimePoint now) {
    const std::string name = kind == crypto::OriginRootKind::rsa ? "rsa" : "ecc";
    if (auto stored = repository.root(name)) return {stored->certificate_pem, stored->private_key_pem};
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    auto root = crypto::create_origin_root(kind, seconds);
    repository.insert_root({name, rfc3339_micros(now), root.certificate_pem, root.private_key_pem});
    return root;
}

}  // namespace

OriginCaRoots load_or_create_origin_roots(storage::OriginCaRepository& repository, TimePoint now) {
    return {load_or_create(repository, crypto::OriginRootKind::rsa, now),
            load_or_create(repository, crypto::OriginRootKind::ecc, now)};
}

struct OriginCaRootsSource::Gate {
    enum class State { waiting, asked, abandoned };
    std::mutex mutex;
    std::condition_variable moved;
    State state = State::waiting;
    bool done = false;                             // the roots (or their error) are set
    std::vector<std::function<void()>> listeners;  // when_ready() callers until then

    // The first call moves it on; later ones change nothing.
    void move_to(State next) {
        {
            std::lock_guard lock(mutex);
            if (state != State::waiting) return;
            state = next;
        }
        moved.notify_all();
    }
};

OriginCaRootsSource::~OriginCaRootsSource() { stop(); }

void OriginCaRootsSource::stop() {
    if (gate_) gate_->move_to(Gate::State::abandoned);
    if (thread_.joinable()) thread_.join();
}

void OriginCaRootsSource::start(std::function<OriginCaRoots()> make) {
    gate_ = std::make_shared<Gate>();
    std::promise<OriginCaRoots> promise;
    roots_ = promise.get_future().share();
    thread_ = std::thread([gate = gate_, make = std::move(make), promise = std::move(promise)]() mutable {
        {
            std::unique_lock lock(gate->mutex);
            gate->moved.wait(lock, [&] { return gate->state != Gate::State::waiting; });
            if (gate->state == Gate::State::abandoned) {  // nobody asked: nothing is made
                promise.set_value(OriginCaRoots{});
                return;
            }
        }
        try {
            promise.set_value(make());
        } catch (...) {
            promise.set_exception(std::current_exception());
        }
        std::vector<std::function<void()>> listeners;
        {
            std::lock_guard lock(gate->mutex);
            gate->done = true;
            listeners.swap(gate->listeners);
        }
        // Each answers its own errors (guarded()); nothing it throws may end this thread early.
        for (auto& listener : listeners) try {
                listener();
            } catch (...) {
            }
    });
}

void OriginCaRootsSource::when_ready(std::function<void()> then) const {
    if (gate_) {
        std::unique_lock lock(gate_->mutex);
        if (!gate_->done) {
            gate_->listeners.push_back(std::move(then));
            lock.unlock();
            gate_->move_to(Gate::State::asked);
            return;
        }
    }
    then();
}

const OriginCaRoots& OriginCaRootsSource::get() const {
    static const OriginCaRoots none;
    if (!roots_.valid()) return none;
    gate_->move_to(Gate::State::asked);
    return roots_.get();
}

}  // namespace api
