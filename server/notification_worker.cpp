#include "server/notification_worker.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "api/notifications/delivery.hpp"

namespace server {

struct NotificationWorker::Impl {
    api::Context& context;
    std::size_t max_in_flight;
    std::mutex mutex;
    std::condition_variable cv;
    bool woken = false, stopping = false;
    // Answers the sender's thread handed over, recorded by the worker's next pass all at once
    // (one transaction for many; recording each on arrival was three commits per delivery).
    std::vector<std::pair<std::shared_ptr<api::notifications::Outgoing>, api::notifications::WebhookAnswer>> answers;
    std::atomic<std::size_t> in_flight{0};
    std::atomic<bool> recording{true};
    std::thread thread;

    Impl(api::Context& c, std::size_t max) : context(c), max_in_flight(max) {}

    void wake() {
        {
            std::lock_guard lock(mutex);
            woken = true;
        }
        cv.notify_one();
    }

    // One pass: every due delivery sent (up to the in-flight bound).
    void send_due(const std::shared_ptr<Impl>& self) {
        auto* sender = context.notifications->sender;
        if (!sender || in_flight >= max_in_flight) return;
        auto batch = api::notifications::take_due(context, static_cast<std::int64_t>(max_in_flight - in_flight));
        for (auto& outgoing : batch) {
            auto shared = std::make_shared<api::notifications::Outgoing>(std::move(outgoing));
            for (int copy = 0; copy < shared->copies; ++copy) {
                ++in_flight;
                sender->post(shared->url, shared->headers, shared->body, context.notifications->settings.timeout,
                             [self, shared](api::notifications::WebhookAnswer answer) {
                                 {
                                     std::lock_guard lock(self->mutex);
                                     self->answers.emplace_back(shared, std::move(answer));
                                     self->woken = true;
                                 }
                                 self->cv.notify_one();
                             });
            }
        }
    }

    // The answers arrived since the last pass, recorded together; their slots free after that.
    void record_answers() {
        decltype(answers) arrived;
        {
            std::lock_guard lock(mutex);
            arrived.swap(answers);
        }
        if (arrived.empty()) return;
        if (recording) {
            std::vector<std::pair<const api::notifications::Outgoing*, api::notifications::WebhookAnswer>> batch;
            batch.reserve(arrived.size());
            for (auto& [outgoing, answer] : arrived) batch.emplace_back(outgoing.get(), std::move(answer));
            try {
                api::notifications::answered_all(context, batch);
            } catch (const std::exception& e) {
                context.log(api::LogLevel::error, "notification_answer", {{"error", e.what()}});
            }
        }
        in_flight -= arrived.size();
    }

    void run(const std::shared_ptr<Impl>& self) {
        std::unique_lock lock(mutex);
        while (!stopping) {
            lock.unlock();
            std::chrono::milliseconds wait{1000};
            try {
                record_answers();
                send_due(self);
                if (auto next = context.outbox.next_due_ms())
                    wait = std::clamp(std::chrono::milliseconds(*next - context.notifications->wall_ms()),
                                      std::chrono::milliseconds(1), wait);
            } catch (const std::exception& e) {
                context.log(api::LogLevel::error, "notification_worker", {{"error", e.what()}});
            }
            lock.lock();
            cv.wait_for(lock, wait, [this] { return woken || stopping; });
            woken = false;
        }
    }
};

NotificationWorker::NotificationWorker(api::Context& context, std::size_t max_in_flight)
    : impl_(std::make_shared<Impl>(context, max_in_flight)) {}

NotificationWorker::~NotificationWorker() { stop(); }

void NotificationWorker::start() {
    impl_->thread = std::thread([impl = impl_] { impl->run(impl); });
}

void NotificationWorker::stop() {
    impl_->recording = false;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->cv.notify_one();
    if (impl_->thread.joinable()) impl_->thread.join();
}

void NotificationWorker::wake() { impl_->wake(); }

}  // namespace server
