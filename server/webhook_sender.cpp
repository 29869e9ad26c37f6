#include "server/webhook_sender.hpp"

#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http.hpp>

#include "server/asio_names.hpp"
#include "server/http_exchange.hpp"
#include "server/http_probe.hpp"

namespace server {

namespace asio = boost::asio;
using asio::ip::tcp;
using api::notifications::WebhookAnswer;

struct WebhookSender::Impl {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    tcp::resolver resolver{io};
    std::thread thread;
    std::vector<std::weak_ptr<HttpExchange>> live;  // touched on the sender's thread only
    std::mutex accepting_mutex;
    bool accepting = true;

    bool post(std::function<void()> task) {
        std::lock_guard lock(accepting_mutex);
        if (!accepting) return false;
        asio::post(io, std::move(task));
        return true;
    }
};

WebhookSender::WebhookSender() : impl_(std::make_shared<Impl>()) {
    impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

WebhookSender::~WebhookSender() {
    {
        std::lock_guard lock(impl_->accepting_mutex);
        impl_->accepting = false;
    }
    asio::post(impl_->io, [impl = impl_.get()] {
        impl->resolver.cancel();
        for (auto& weak : impl->live)
            if (auto exchange = weak.lock()) exchange->cancel();
        impl->live.clear();
    });
    impl_->work.reset();
    impl_->thread.join();
}

void WebhookSender::post(const std::string& url, const api::HeaderList& headers, const std::string& body,
                         std::chrono::milliseconds timeout, std::function<void(WebhookAnswer)> done) {
    auto answer = std::make_shared<std::function<void(WebhookAnswer)>>(std::move(done));
    auto parsed = parse_http_url(url);
    if (!parsed) {
        WebhookAnswer out;
        out.error = "only http:// URLs can be delivered to";
        if (!impl_->post([answer, out] { (*answer)(out); })) (*answer)(out);
        return;
    }
    auto request = exchange_request(http::verb::post, parsed->host, parsed->port, parsed->target);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    auto exchange = std::make_shared<HttpExchange>(
        impl_->io, std::move(request), api::notifications::WebhookSender::max_answer_body,
        [answer](HttpExchangeResult result) {
            WebhookAnswer out;
            out.status = result.status;
            out.reason = std::move(result.reason);
            out.body = std::move(result.body);
            if (result.error) out.error = result.error.message();
            (*answer)(std::move(out));
        });
    unsigned short port = parsed->port ? parsed->port : 80;
    auto started = std::chrono::steady_clock::now();
    bool posted = impl_->post([impl = impl_.get(), exchange, host = parsed->host, port, timeout, started] {
        std::erase_if(impl->live, [](const auto& weak) { return weak.expired(); });
        impl->live.push_back(exchange);
        beast::error_code ec;
        auto address = asio::ip::make_address(host, ec);
        if (!ec) return exchange->start(tcp::endpoint(address, port), timeout);
        impl->resolver.async_resolve(host, std::to_string(port), [exchange, timeout, started](
                                                                     beast::error_code ec, tcp::resolver::results_type found) {
            if (ec || found.empty()) return exchange->fail(ec ? ec : asio::error::host_not_found);
            auto left = timeout - (std::chrono::steady_clock::now() - started);
            if (left <= std::chrono::steady_clock::duration::zero()) return exchange->fail(beast::error::timeout);
            exchange->start(found.begin()->endpoint(), left);
        });
    });
    if (!posted) exchange->fail(asio::error::operation_aborted);
}

}  // namespace server
