#include "support/webhook_receiver.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace test_support {
namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
}  // namespace

struct WebhookReceiver::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)};
    mutable std::mutex mutex;
    std::deque<int> statuses;
    std::chrono::milliseconds delay{0};
    std::vector<ReceivedWebhook> received;
    std::thread thread;

    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) return;
            serve(std::move(socket));  // one short request at a time is all a delivery test needs
            accept();
        });
    }

    void serve(tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> request;
        boost::system::error_code ec;
        http::read(socket, buffer, request, ec);
        if (ec) return;
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
        http::response<http::string_body> response{static_cast<http::status>(status), 11};
        response.set(http::field::content_type, "text/plain");
        response.body() = "answered " + std::to_string(status);
        response.prepare_payload();
        http::write(socket, response, ec);
        socket.shutdown(tcp::socket::shutdown_both, ec);
    }
};

WebhookReceiver::WebhookReceiver(std::deque<int> statuses) : impl_(std::make_unique<Impl>()) {
    impl_->statuses = std::move(statuses);
    port_ = impl_->acceptor.local_endpoint().port();
    impl_->accept();
    impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

WebhookReceiver::~WebhookReceiver() {
    impl_->io.stop();
    impl_->thread.join();
}

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

}  // namespace test_support

namespace test_support {
void WebhookReceiver::delay_answers(std::chrono::milliseconds delay) {
    std::lock_guard lock(impl_->mutex);
    impl_->delay = delay;
}
}  // namespace test_support
