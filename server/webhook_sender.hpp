#pragma once
// POSTs of notifications to webhook URLs (api::notifications::WebhookSender), with Beast as
// the client (server/http_exchange.hpp). Names resolve through the system resolver, not the
// validation DNS server: a receiver is the customer's own service. Runs on its own io_context
// and thread, never on a socket thread.
#include <memory>

#include "api/notifications/notifications.hpp"

namespace server {

class WebhookSender final : public api::notifications::WebhookSender {
public:
    WebhookSender();
    ~WebhookSender() override;  // exchanges in flight complete as failed
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    // Only http:// URLs; anything else completes with an error and no status.
    void post(const std::string& url, const api::HeaderList& headers, const std::string& body,
              std::chrono::milliseconds timeout, std::function<void(api::notifications::WebhookAnswer)> done) override;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace server
