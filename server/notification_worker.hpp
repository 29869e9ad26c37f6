#pragma once
// The delivery worker: a thread of its own that drains the notification outbox. It asks api/
// which deliveries are due (api/notifications/delivery.hpp), POSTs them through the webhook
// sender, and hands each answer back; it sleeps until the next delivery is due or a status
// change wakes it. Nothing runs on a socket thread; what was in flight at a crash goes again
// after a restart (each taken delivery is leased, not finished).
#include <cstddef>
#include <memory>

#include "api/context.hpp"

namespace server {

class NotificationWorker {
public:
    // `context` and its notifications' sender must outlive the worker.
    NotificationWorker(api::Context& context, std::size_t max_in_flight = 64);
    ~NotificationWorker();
    NotificationWorker(const NotificationWorker&) = delete;
    NotificationWorker& operator=(const NotificationWorker&) = delete;

    void start();
    // Answers arriving after this are not recorded: their deliveries go again after a restart.
    void stop();
    void wake();  // callable from any thread

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace server
