#include "server/http_probe.hpp"

#include "server/asio_names.hpp"
#include "server/http_exchange.hpp"

#include <charconv>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// One fetch: an exchange whose answer becomes a probe's HttpFetch (ok only for a 200).
std::shared_ptr<HttpExchange> make_fetch(asio::io_context& io, HttpExchange::Request request,
                                         std::function<void(api::HttpFetch)> done) {
    return std::make_shared<HttpExchange>(io, std::move(request), api::HttpProbe::max_body,
                                          [done = std::move(done)](HttpExchangeResult result) {
                                              api::HttpFetch out;
                                              if (result.error) {
                                                  out.status = result.error == beast::error::timeout
                                                                   ? api::ProbeStatus::timed_out
                                                                   : api::ProbeStatus::failed;
                                                  return done(std::move(out));
                                              }
                                              out.http_status = result.status;
                                              out.status = out.http_status == 200 ? api::ProbeStatus::ok
                                                                                  : api::ProbeStatus::failed;
                                              out.body = std::move(result.body);
                                              done(std::move(out));
                                          });
}

}  // namespace

std::optional<HttpUrl> parse_http_url(const std::string& url) {
    constexpr std::string_view scheme = "http://";
    if (url.size() <= scheme.size() || url.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
    std::string_view rest = std::string_view(url).substr(scheme.size());
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    HttpUrl out;
    out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
        std::string_view port = authority.substr(colon + 1);
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) return std::nullopt;
        out.port = static_cast<unsigned short>(value);
        authority = authority.substr(0, colon);
    }
    if (authority.empty()) return std::nullopt;
    out.host = std::string(authority);
    return out;
}

struct HttpProbe::Impl {
    DnsClient& dns;
    HttpProbeOptions options;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread;
    // Fetches started on the probe's thread and not yet finished (touched only on that thread),
    // so shutting down can cancel them: each then completes once, as failed.
    std::vector<std::weak_ptr<HttpExchange>> live;
    // Cleared when the probe shuts down; posting to `io` only while it holds, under the mutex,
    // guarantees every posted fetch runs (and so completes) before the thread is joined.
    std::mutex accepting_mutex;
    bool accepting = true;

    Impl(DnsClient& d, HttpProbeOptions o) : dns(d), options(o) {}

    // Runs `task` on the probe's thread, or returns false when the probe is shutting down.
    bool post(std::function<void()> task) {
        std::lock_guard lock(accepting_mutex);
        if (!accepting) return false;
        asio::post(io, std::move(task));
        return true;
    }
};

HttpProbe::HttpProbe(DnsClient& dns, HttpProbeOptions options) : impl_(std::make_shared<Impl>(dns, options)) {
    impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

HttpProbe::~HttpProbe() {
    // Every fetch completes exactly once (the interface's promise). No new work is posted from
    // here on (a DNS answer arriving later is answered `failed` by get()'s callback itself); what
    // was posted before runs first (one thread, in order), then the fetches in flight are
    // cancelled and answer `failed`, and the thread ends when nothing is left.
    {
        std::lock_guard lock(impl_->accepting_mutex);
        impl_->accepting = false;
    }
    asio::post(impl_->io, [impl = impl_.get()] {
        for (auto& weak : impl->live)
            if (auto fetch = weak.lock()) fetch->cancel();
        impl->live.clear();
    });
    impl_->work.reset();
    impl_->thread.join();
}

void HttpProbe::get(const std::string& url, const std::string& user_agent, std::function<void(api::HttpFetch)> done) {
    auto parsed = parse_http_url(url);
    auto impl = impl_;
    if (!parsed) {
        auto answer = std::make_shared<std::function<void(api::HttpFetch)>>(std::move(done));
        if (!impl->post([answer] { (*answer)(api::HttpFetch{}); })) (*answer)(api::HttpFetch{});
        return;
    }
    auto request = exchange_request(http::verb::get, parsed->host, parsed->port, parsed->target);
    request.set(http::field::user_agent, user_agent);
    // Kept to answer `failed` when the probe is gone before the fetch starts.
    auto answer = std::make_shared<std::function<void(api::HttpFetch)>>(std::move(done));
    auto fetch = make_fetch(impl->io, std::move(request), [answer](api::HttpFetch out) { (*answer)(std::move(out)); });
    unsigned short port = parsed->port ? parsed->port : impl->options.default_port;
    auto started = std::chrono::steady_clock::now();
    // The DNS answer arrives on the DNS thread; the fetch itself runs on the probe's thread.
    std::weak_ptr<Impl> weak = impl;
    impl->dns.addresses(parsed->host, [weak, fetch, answer, port, started](Addresses found) {
        auto impl = weak.lock();
        bool posted = impl && impl->post([impl = impl.get(), fetch, answer, port, started, found = std::move(found)] {
            if (found.status != api::ProbeStatus::ok) {
                api::HttpFetch out;
                out.status = found.status == api::ProbeStatus::timed_out ? api::ProbeStatus::timed_out
                                                                         : api::ProbeStatus::failed;
                return (*answer)(std::move(out));
            }
            auto left = impl->options.timeout - (std::chrono::steady_clock::now() - started);
            if (left <= std::chrono::steady_clock::duration::zero()) {
                api::HttpFetch out;
                out.status = api::ProbeStatus::timed_out;
                return (*answer)(std::move(out));
            }
            beast::error_code ec;
            auto address = asio::ip::make_address_v4(found.ipv4.front(), ec);
            if (ec) return fetch->fail(ec);
            std::erase_if(impl->live, [](const auto& weak) { return weak.expired(); });
            impl->live.push_back(fetch);
            fetch->start(tcp::endpoint(address, port), left);
        });
        // The probe is gone or going: the fetch still completes, once, as failed.
        if (!posted) (*answer)(api::HttpFetch{});
    });
}

}  // namespace server
