#include "server/http_probe.hpp"

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
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// One fetch: connect, send, read, with the stream's deadline covering all of it.
struct Fetch : std::enable_shared_from_this<Fetch> {
    beast::tcp_stream stream;
    http::request<http::empty_body> request;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    std::function<void(api::HttpFetch)> done;

    Fetch(asio::io_context& io, std::function<void(api::HttpFetch)> d) : stream(io), done(std::move(d)) {
        parser.body_limit(api::HttpProbe::max_body);
    }

    void fail(const beast::error_code& ec) {
        api::HttpFetch out;
        out.status = ec == beast::error::timeout ? api::ProbeStatus::timed_out : api::ProbeStatus::failed;
        done(std::move(out));
    }

    void start(const tcp::endpoint& endpoint, std::chrono::steady_clock::duration timeout) {
        stream.expires_after(timeout);
        stream.async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
            if (ec) return self->fail(ec);
            http::async_write(self->stream, self->request, [self](beast::error_code ec, std::size_t) {
                if (ec) return self->fail(ec);
                http::async_read(self->stream, self->buffer, self->parser, [self](beast::error_code ec, std::size_t) {
                    // A body over the limit still tells us the token is not what was served.
                    if (ec && ec != http::error::body_limit) return self->fail(ec);
                    api::HttpFetch out;
                    out.http_status = static_cast<int>(self->parser.get().result_int());
                    out.status = out.http_status == 200 ? api::ProbeStatus::ok : api::ProbeStatus::failed;
                    out.body = std::move(self->parser.get().body());
                    beast::error_code ignored;
                    self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                    self->done(std::move(out));
                });
            });
        });
    }
};

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
    std::vector<std::weak_ptr<Fetch>> live;
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
            if (auto fetch = weak.lock()) {
                beast::error_code ignored;
                fetch->stream.socket().close(ignored);
            }
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
    auto fetch = std::make_shared<Fetch>(impl->io, std::move(done));
    fetch->request.method(http::verb::get);
    fetch->request.target(parsed->target);
    fetch->request.version(11);
    fetch->request.set(http::field::host, parsed->port ? parsed->host + ":" + std::to_string(parsed->port) : parsed->host);
    fetch->request.set(http::field::user_agent, user_agent);
    fetch->request.set(http::field::connection, "close");
    unsigned short port = parsed->port ? parsed->port : impl->options.default_port;
    auto started = std::chrono::steady_clock::now();
    // The DNS answer arrives on the DNS thread; the fetch itself runs on the probe's thread.
    std::weak_ptr<Impl> weak = impl;
    impl->dns.addresses(parsed->host, [weak, fetch, port, started](Addresses found) {
        auto impl = weak.lock();
        bool posted = impl && impl->post([impl = impl.get(), fetch, port, started, found = std::move(found)] {
            if (found.status != api::ProbeStatus::ok) {
                api::HttpFetch out;
                out.status = found.status == api::ProbeStatus::timed_out ? api::ProbeStatus::timed_out
                                                                         : api::ProbeStatus::failed;
                return fetch->done(std::move(out));
            }
            auto left = impl->options.timeout - (std::chrono::steady_clock::now() - started);
            if (left <= std::chrono::steady_clock::duration::zero()) {
                api::HttpFetch out;
                out.status = api::ProbeStatus::timed_out;
                return fetch->done(std::move(out));
            }
            beast::error_code ec;
            auto address = asio::ip::make_address_v4(found.ipv4.front(), ec);
            if (ec) return fetch->fail(ec);
            std::erase_if(impl->live, [](const auto& weak) { return weak.expired(); });
            impl->live.push_back(fetch);
            fetch->start(tcp::endpoint(address, port), left);
        });
        // The probe is gone or going: the fetch still completes, once, as failed.
        if (!posted) fetch->done(api::HttpFetch{});
    });
}

}  // namespace server
