#include "support/webhook_receiver.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/beast/http.hpp>

#include "support/loopback_http_server.hpp"

namespace test_support {
namespace http = boost::beast::http;

struct WebhookReceiver::Impl {
    mutable std::mutex mutex;
    std::deque<int> statuses;
    std::chrono::milliseconds delay{0};
    std::vector<ReceivedWebhook> received;
    // Last: stopped first, before what its handler reads.
    std::optional<LoopbackHttpServer> server;

    LoopbackHttpServer::Response answer(const LoopbackHttpServer::Request& request) {
        ReceivedWebhook got;
        got.target = std::string(request.target());
        got.body = request.body();
        for (const auto& field : request) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            got.headers[name] = std::string(field.value());
        }
        int status = 200;
        std::chrono::milliseconds wait;
        {
            std::lock_guard lock(mutex);
            wait = delay;
            if (!statuses.empty()) {
                status = statuses.front();
                statuses.pop_front();
            }
            got.answered = status;
            received.push_back(got);
        }
        // A slow receiver: the sender's request is in flight meanwhile.
        if (wait.count() > 0) std::this_thread::sleep_for(wait);
        LoopbackHttpServer::Response response{static_cast<http::status>(status), 11};
        response.set(http::field::content_type, "text/plain");
        response.body() = "answered " + std::to_string(status);
        return response;
    }
};

WebhookReceiver::WebhookReceiver(std::deque<int> statuses) : impl_(std::make_unique<Impl>()) {
    impl_->statuses = std::move(statuses);
    impl_->server.emplace([impl = impl_.get()](const auto& request) { return impl->answer(request); });
    port_ = impl_->server->port();
}

WebhookReceiver::~WebhookReceiver() = default;

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedWebhook> WebhookReceiver::received() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

void WebhookReceiver::script(std::deque<int> statuses) {
    std::lock_guard lock(impl_->mutex);
    impl_->statuses = std::move(statuses);
}

void WebhookReceiver::delay_answers(std::chrono::milliseconds delay) {
    std::lock_guard lock(impl_->mutex);
    impl_->delay = delay;
}

}  // namespace test_support
