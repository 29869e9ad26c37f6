// A visitor connection's requests on the edge: read the headers, refuse what cannot be framed
// unambiguously (400), answer locally (validation token, redirect, 409/530/413 pages) or proxy to
// the origin. Proxied bodies stream both ways through one fixed buffer (Beast's buffer_body
// relay): a request body reaches the origin while the visitor is still sending it, and the
// origin's answer reaches the visitor piece by piece as the origin sends it. No body is ever held
// whole, whatever its size or framing.
//
// Memory for one connection: the relay buffer (relay_piece), the visitor's and the origin's
// read-ahead buffers (each at most the header limit plus one 64 KiB read; shrunk when a request is
// done), the headers themselves, and for TLS the stream's buffers (about 34 KiB in Asio, up to
// 34 KiB in OpenSSL while a record is in flight): at most about 400 KiB while a body flows, about
// 200 KiB in practice, at most 16 KiB of read-ahead idle. The global bound is that times the
// edge's connection limit (--edge-max-connections; by default a quarter of the descriptors, at
// most 1024: ~400 MiB at worst). A TLS connection whose ClientHello has not fully arrived holds no
// TLS state at all (edge_server.cpp).
#include <memory>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/edge/challenges.hpp"
#include "api/edge/error_pages.hpp"
#include "api/edge/hostname_lookup.hpp"
#include "api/edge/origin_route.hpp"
#include "api/edge/request_framing.hpp"
#include "api/edge/visitor_headers.hpp"
#include "api/time_text.hpp"
#include "server/asio_names.hpp"
#include "server/edge/edge_connection.hpp"
#include "server/edge/edge_shared.hpp"
#include "server/edge/origin_connection.hpp"
#include "server/erased_stream.hpp"
#include "server/logger.hpp"

namespace server::edge {
namespace {

using api::edge::EdgeFailure;
using Phase = VisitorConnection::Phase;

constexpr std::size_t relay_piece = 64 * 1024;           // the most of a body in memory at once
constexpr std::uint32_t visitor_header_limit = 32 * 1024;  // Cloudflare's request header limit
constexpr std::uint32_t origin_header_limit = 64 * 1024;
constexpr std::size_t keep_capacity = 8 * 1024;  // read-ahead buffer kept between requests
constexpr std::size_t discard_limit = 1024 * 1024;  // body of a locally answered request, read to keep the connection
constexpr std::size_t linger_limit = 4 * 1024 * 1024;
constexpr std::chrono::seconds idle_timeout{60};    // between requests
constexpr std::chrono::seconds header_timeout{10};  // from a request's first byte to the end of its headers
constexpr std::chrono::seconds body_timeout{60};    // between two pieces of a visitor's body
constexpr std::chrono::seconds write_timeout{30};   // one write to the visitor
constexpr std::chrono::seconds linger_timeout{2};

// The relay buffer of one proxied request, not zero-filled (a vector's 64 KiB memset and the page
// faults it caused were a sixth of the edge's CPU under load). Spare buffers wait in a small
// per-thread stock: a 64 KiB free and malloc per request made glibc shrink and regrow the thread's
// heap each time. An idle connection holds none.
class RelayPiece {
public:
    RelayPiece() {
        auto& stock = spares();
        if (stock.empty()) {
            bytes_ = std::make_unique_for_overwrite<char[]>(relay_piece);
        } else {
            bytes_ = std::move(stock.back());
            stock.pop_back();
        }
    }
    ~RelayPiece() {
        if (auto& stock = spares(); stock.size() < spare_limit) stock.push_back(std::move(bytes_));
    }
    RelayPiece(const RelayPiece&) = delete;
    RelayPiece& operator=(const RelayPiece&) = delete;
    char* data() { return bytes_.get(); }
    static constexpr std::size_t size() { return relay_piece; }

private:
    static constexpr std::size_t spare_limit = 8;  // per thread: at most 512 KiB kept
    static std::vector<std::unique_ptr<char[]>>& spares() {
        thread_local std::vector<std::unique_ptr<char[]>> stock;
        return stock;
    }
    std::unique_ptr<char[]> bytes_;
};

using VisitorParser = http::request_parser<http::buffer_body>;
using OriginParser = http::response_parser<http::buffer_body>;
using LocalResponse = http::response<http::string_body>;

bool is_http_error(const boost::system::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::end_of_stream).category();
}

// What Cloudflare strips from the origin's answer: hop-by-hop headers (the edge re-frames the
// body) and nginx's X-Accel-* instructions.
template <class Fields>
void clean_origin_headers(Fields& fields) {
    for (auto field : {http::field::connection, http::field::keep_alive, http::field::transfer_encoding,
                       http::field::proxy_connection, http::field::upgrade, http::field::trailer})
        fields.erase(field);
    std::vector<std::string> accel;
    for (const auto& header : fields)
        if (header.name_string().size() >= 8 && beast::iequals(header.name_string().substr(0, 8), "x-accel-"))
            accel.emplace_back(header.name_string());
    for (const auto& name : accel) fields.erase(name);
}

LocalResponse page(EdgeFailure failure, const std::string& host, const std::string& ray) {
    auto error = api::edge::error_page(failure, host, ray);
    LocalResponse res{static_cast<http::status>(error.status), 11};
    // Cloudflare's own statuses (52x, 530) have no standard reason phrase for Beast to fill in.
    if (!error.reason.empty()) res.reason(error.reason);
    res.set(http::field::content_type, "text/html; charset=UTF-8");
    res.body() = std::move(error.body);
    return res;
}

LocalResponse text(http::status status, std::string body, const char* type) {
    LocalResponse res{status, 11};
    res.set(http::field::content_type, type);
    res.body() = std::move(body);
    return res;
}

// Every line of one header field, in order.
std::vector<std::string> values(const http::fields& fields, http::field name) {
    std::vector<std::string> out;
    for (auto [it, end] = fields.equal_range(name); it != end; ++it) out.emplace_back(it->value());
    return out;
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

// The completion token of every operation here: the coroutine resumes with the error in `ec`.
auto on(boost::system::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

// How a relayed body ended.
enum class Relay { done, visitor_gone, visitor_malformed, visitor_too_large, origin_failed };

class Exchange {
public:
    using Stream = ErasedStream;
    Exchange(Shared& shared, Stream& stream, VisitorConnection& connection, const std::string& client_ip, bool https)
        : shared_(shared), stream_(stream), connection_(connection), client_ip_(client_ip), https_(https),
          origin_(beast::get_lowest_layer(stream).get_executor()) {}

    // Until the connection is to close; the visitor's read or write failure that ended it, if any.
    net::awaitable<boost::system::error_code> run() {
        for (;;) {
            VisitorParser parser;
            parser.header_limit(visitor_header_limit);
            parser.body_limit(shared_.settings.max_body);
            boost::system::error_code ec;
            if (buffer_.size() == 0) {  // else a pipelined request is here already
                // Up to keep_capacity stays for the next request: freeing and reallocating the
                // buffer at every request was malloc churn on the busiest path.
                if (buffer_.capacity() > keep_capacity) buffer_.shrink_to_fit();
                connection_.set_phase(Phase::idle);
                connection_.expire_after(idle_timeout);
                std::size_t n = co_await stream_.async_read_some(buffer_.prepare(4096), on(ec));
                buffer_.commit(n);
                if (ec) co_return ec;  // closed, idle too long, or shed to make room
            }
            connection_.set_phase(Phase::header);
            connection_.expire_after(header_timeout);
            co_await http::async_read_header(stream_, buffer_, parser, on(ec));
            connection_.set_phase(Phase::busy);
            if (ec) {
                // Not HTTP we can frame: 400 (413 for a declared body over the limit) and close.
                // A timeout, a reset or a visitor gone between requests has nobody to answer.
                if (!is_http_error(ec) || ec == http::error::end_of_stream) co_return ec;
                EdgeFailure failure = ec == http::error::body_limit ? EdgeFailure::body_too_large
                                      : ec == http::error::header_limit || ec == http::error::buffer_overflow
                                          ? EdgeFailure::header_too_large
                                          : EdgeFailure::bad_request;
                refused(ec.message());
                co_await answer_and_close(page(failure, "", api::edge::new_ray_id()), parser);
                co_return visitor_failure_;
            }
            if (!co_await answer(parser)) co_return visitor_failure_;
        }
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    // Remembers a failed read or write of the visitor's (what ends the connection without a TLS
    // close_notify); true when `ec` is one.
    bool failed_visitor(const boost::system::error_code& ec) {
        if (ec) visitor_failure_ = ec;
        return static_cast<bool>(ec);
    }

    void refused(const std::string& why) {
        shared_.logger.log(api::LogLevel::info, "edge_bad_request", {{"client", client_ip_}, {"error", why}});
    }

    // One request whose headers are read; false when the connection is to close.
    net::awaitable<bool> answer(VisitorParser& parser) {
        auto& request = parser.get();
        api::edge::RequestFraming framing;
        framing.version = request.version();
        framing.transfer_encoding = values(request, http::field::transfer_encoding);
        framing.has_content_length = request.find(http::field::content_length) != request.end();
        framing.host = values(request, http::field::host);
        if (auto problem = api::edge::framing_problem(framing)) {
            refused(*problem);
            co_await answer_and_close(page(EdgeFailure::bad_request, "", api::edge::new_ray_id()), parser);
            co_return false;
        }

        std::string ray = api::edge::new_ray_id();
        std::string host(request[http::field::host]);
        std::string path = path_of(request.target());
        std::optional<LocalResponse> local;
        std::string origin;
        try {
            if (!https_ && api::edge::is_challenge_path(path)) {
                auto token = api::edge::challenge_answer(shared_.repository, host, path);
                local = token ? text(http::status::ok, *token, "text/plain")
                              : text(http::status::not_found, "not found\n", "text/plain");
            } else if (!https_ && shared_.settings.always_https) {
                std::string name = api::edge::normalize_host(host);
                std::string port =
                    shared_.tls_port && shared_.tls_port != 443 ? ":" + std::to_string(shared_.tls_port) : "";
                local = text(http::status::moved_permanently, "", "text/html");
                local->set(http::field::location, "https://" + name + port + std::string(request.target()));
            } else {
                auto route = api::edge::route_for_host(shared_.repository, host);
                using Outcome = api::edge::OriginRoute::Outcome;
                if (route.outcome == Outcome::no_hostname) local = page(EdgeFailure::unknown_host, host, ray);
                else if (route.outcome == Outcome::no_origin) local = page(EdgeFailure::no_origin, host, ray);
                else origin = route.origin;
            }
        } catch (const std::exception& e) {
            shared_.logger.log(api::LogLevel::error, "edge_request_failed", {{"host", host}, {"error", e.what()}});
            local = page(EdgeFailure::origin_error, host, ray);
        }
        if (local) co_return co_await answer_locally(std::move(*local), parser, ray);
        co_return co_await proxy(parser, origin, host, ray);
    }

    // Cloudflare's headers on an answer of the edge's own; the visitor's body, if any, is read and
    // dropped (up to discard_limit) so the connection can serve the next request.
    net::awaitable<bool> answer_locally(LocalResponse res, VisitorParser& parser, const std::string& ray) {
        bool keep_alive = parser.get().keep_alive();
        if (!parser.is_done()) keep_alive = keep_alive && co_await discard_body(parser);
        co_return co_await write_local(std::move(res), parser.get().version(), keep_alive, ray);
    }

    net::awaitable<bool> write_local(LocalResponse res, unsigned version, bool keep_alive, const std::string& ray) {
        res.set("CF-Ray", ray);
        res.set(http::field::server, "cloudflare");
        // As every HTTP origin server must (RFC 9110 6.6.1), on the emulator's clock.
        auto now = shared_.settings.now ? shared_.settings.now() : std::chrono::system_clock::now();
        res.set(http::field::date, api::http_date(now));
        res.version(version == 10 ? 10 : 11);
        res.keep_alive(keep_alive);
        if (!keep_alive) res.set(http::field::connection, "close");  // said in HTTP/1.0 too
        res.prepare_payload();
        boost::system::error_code ec;
        connection_.expire_after(write_timeout);
        co_await http::async_write(stream_, res, on(ec));
        if (failed_visitor(ec)) co_return false;
        if (!keep_alive) co_await linger();
        co_return keep_alive;
    }

    // A refusal: the answer, with Connection: close, then the connection ends.
    net::awaitable<void> answer_and_close(LocalResponse res, VisitorParser& parser) {
        std::string ray(res.find("CF-Ray") != res.end() ? std::string(res["CF-Ray"]) : api::edge::new_ray_id());
        unsigned version = parser.is_header_done() ? parser.get().version() : 11;
        co_await write_local(std::move(res), version, false, ray);
    }

    // After an answer that closes the connection: the visitor may still be sending (the rest of
    // a refused body). Over plain HTTP, half-closing and then reading and dropping what still
    // comes for a moment lets the visitor read the answer instead of a reset (over TLS the
    // close_notify exchange that follows does that). The connection can be shed meanwhile.
    net::awaitable<void> linger() {
        if (https_) co_return;
        connection_.set_phase(Phase::idle);
        boost::system::error_code ec;
        lowest().socket().shutdown(net::socket_base::shutdown_send, ec);
        std::array<char, 4096> scratch;
        std::size_t dropped = buffer_.size();
        buffer_.clear();
        connection_.expire_after(linger_timeout);
        while (!ec && dropped < linger_limit) dropped += co_await stream_.async_read_some(net::buffer(scratch), on(ec));
    }

    net::awaitable<bool> discard_body(VisitorParser& parser) {
        // A visitor waiting for 100 Continue has not sent its body: nothing to read, close instead.
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) co_return false;
        std::vector<char> scratch(16 * 1024);
        std::size_t dropped = 0;
        auto& body = parser.get().body();
        while (!parser.is_done() && dropped <= discard_limit) {
            body.data = scratch.data();
            body.size = scratch.size();
            boost::system::error_code ec;
            connection_.expire_after(body_timeout);
            co_await http::async_read_some(stream_, buffer_, parser, on(ec));
            if (ec == http::error::need_buffer) ec = {};
            if (failed_visitor(ec)) co_return false;
            dropped += scratch.size() - body.size;
        }
        co_return parser.is_done();
    }

    // The request as the origin gets it: Cloudflare's headers, hop-by-hop ones dropped, HTTP/1.1
    // kept alive, framed as the visitor framed it (one Content-Length, or its codings ending in
    // chunked). Changed in place: the parser keeps writing the body into the same message.
    void prepare_for_origin(VisitorParser& parser, const std::string& ray) {
        auto& request = parser.get();
        std::optional<std::string> incoming_xff;
        if (auto it = request.find("X-Forwarded-For"); it != request.end()) incoming_xff = std::string(it->value());
        std::string codings;
        for (const auto& value : values(request, http::field::transfer_encoding))
            codings += (codings.empty() ? "" : ", ") + value;
        std::vector<std::string> drop;
        for (const auto& header : request)
            if (api::edge::is_replaced_request_header(header.name_string())) drop.emplace_back(header.name_string());
        for (const auto& name : drop) request.erase(name);
        request.erase(http::field::expect);  // the edge answers 100 Continue itself
        request.erase(http::field::content_length);
        request.erase(http::field::transfer_encoding);
        for (const auto& [name, value] : api::edge::origin_request_headers(client_ip_, incoming_xff, ray, https_))
            request.set(name, value);
        if (auto length = parser.content_length()) request.set(http::field::content_length, std::to_string(*length));
        else if (parser.chunked()) request.set(http::field::transfer_encoding, codings);
        request.version(11);
        request.keep_alive(true);
    }

    net::awaitable<bool> proxy(VisitorParser& parser, const std::string& origin_host, const std::string& host,
                               const std::string& ray) {
        auto& request = parser.get();
        const bool keep_alive = request.keep_alive();
        const unsigned version = request.version();
        const bool head = request.method() == http::verb::head;
        const bool expect_continue = beast::iequals(request[http::field::expect], "100-continue");
        const bool body_pending = !parser.is_done();
        prepare_for_origin(parser, ray);
        RelayPiece piece;
        boost::system::error_code ec;

        auto failed = [&](EdgeFailure failure) -> net::awaitable<bool> {
            origin_.close();
            shared_.logger.log(api::LogLevel::info, "edge_origin_failed",
                               {{"host", host}, {"origin", origin_host}, {"ray", ray},
                                {"status", std::to_string(api::edge::error_page(failure, host, ray).status)}});
            // The visitor's body, if not all relayed, is left unread: the connection closes.
            co_return co_await write_local(page(failure, host, ray), version, keep_alive && parser.is_done(), ray);
        };

        std::optional<OriginParser> response;
        for (int attempt = 0;; ++attempt) {
            connection_.expire_never();
            if (auto failure = co_await origin_.open(shared_, origin_host)) co_return co_await failed(*failure);
            const bool retry_allowed = origin_.reused() && attempt == 0;
            http::request_serializer<http::buffer_body> to_origin{request};
            origin_.stream().expires_after(shared_.settings.read_timeout);
            co_await http::async_write_header(origin_.stream(), to_origin, on(ec));
            if (ec) {
                origin_.close();
                if (retry_allowed) continue;  // a kept-alive connection the origin had closed
                co_return co_await failed(EdgeFailure::origin_error);
            }
            if (body_pending) {
                if (expect_continue && version >= 11) {
                    static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
                    connection_.expire_after(write_timeout);
                    co_await net::async_write(stream_, net::buffer(go_on), on(ec));
                    if (failed_visitor(ec)) {
                        origin_.close();
                        co_return false;
                    }
                }
                switch (co_await relay_request_body(parser, to_origin, piece)) {
                    case Relay::done: break;
                    case Relay::visitor_gone: origin_.close(); co_return false;
                    case Relay::visitor_malformed:
                        origin_.close();
                        refused("request body is not validly framed");
                        co_await write_local(page(EdgeFailure::bad_request, host, ray), version, false, ray);
                        co_return false;
                    case Relay::visitor_too_large:
                        origin_.close();
                        co_await write_local(page(EdgeFailure::body_too_large, host, ray), version, false, ray);
                        co_return false;
                    case Relay::origin_failed: co_return co_await failed(EdgeFailure::origin_error);
                }
            }
            response.emplace();
            co_await read_response_header(response, head, ec);
            if (!ec) break;
            bool answered_nothing = !response->got_some();
            origin_.close();
            if (ec == beast::error::timeout) co_return co_await failed(EdgeFailure::read_timeout);
            if (retry_allowed && !body_pending && answered_nothing) continue;
            co_return co_await failed(EdgeFailure::origin_error);
        }
        co_return co_await relay_response(*response, keep_alive, version, head, ray, piece);
    }

    // The origin's answer's headers; informational answers (100, 103) are skipped.
    net::awaitable<void> read_response_header(std::optional<OriginParser>& response, bool head,
                                              boost::system::error_code& ec) {
        for (;;) {
            response->header_limit(origin_header_limit);
            response->body_limit(boost::none);  // streamed: no size limit
            response->skip(head);
            origin_.stream().expires_after(shared_.settings.read_timeout);
            co_await http::async_read_header(origin_.stream(), origin_.buffer(), *response, on(ec));
            if (ec || response->get().result_int() / 100 != 1 || response->get().result_int() == 101) co_return;
            response.emplace();
        }
    }

    // Moves the visitor's body to the origin one piece at a time, each as soon as it arrives.
    net::awaitable<Relay> relay_request_body(VisitorParser& parser, http::request_serializer<http::buffer_body>& out,
                                             RelayPiece& piece) {
        auto& body = parser.get().body();
        boost::system::error_code ec;
        while (!parser.is_done()) {
            body.data = piece.data();
            body.size = piece.size();
            connection_.expire_after(body_timeout);
            co_await http::async_read_some(stream_, buffer_, parser, on(ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec == http::error::body_limit) co_return Relay::visitor_too_large;
            if (ec && is_http_error(ec) && ec != http::error::end_of_stream) co_return Relay::visitor_malformed;
            if (failed_visitor(ec)) co_return Relay::visitor_gone;
            std::size_t got = piece.size() - body.size;
            if (got == 0 && !parser.is_done()) continue;  // a chunk header only: nothing to pass on yet
            body.data = got ? piece.data() : nullptr;
            body.size = got;
            body.more = !parser.is_done();
            connection_.expire_never();
            origin_.stream().expires_after(shared_.settings.read_timeout);
            co_await http::async_write(origin_.stream(), out, on(ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) co_return Relay::origin_failed;
        }
        if (!out.is_done()) {  // the last chunk of a chunked body
            body.data = nullptr;
            body.size = 0;
            body.more = false;
            co_await http::async_write(origin_.stream(), out, on(ec));
            if (ec) co_return Relay::origin_failed;
        }
        co_return Relay::done;
    }

    // The origin's answer to the visitor: its headers cleaned and Cloudflare's added, its body
    // passed on piece by piece. An origin that fails half-way leaves the visitor with a body cut
    // short (no last chunk, or fewer bytes than the Content-Length) and a closed connection.
    net::awaitable<bool> relay_response(OriginParser& parser, bool visitor_keep_alive, unsigned version, bool head,
                                        const std::string& ray, RelayPiece& piece) {
        auto& res = parser.get();
        const bool origin_keep_alive = res.keep_alive();
        const int status = res.result_int();
        const bool bodiless = head || status == 204 || status == 304;
        const auto length = parser.content_length();
        clean_origin_headers(res);
        res.set("CF-Ray", ray);
        res.set(http::field::server, "cloudflare");
        // As every HTTP origin server must (RFC 9110 6.6.1), on the emulator's clock.
        auto now = shared_.settings.now ? shared_.settings.now() : std::chrono::system_clock::now();
        res.set(http::field::date, api::http_date(now));
        res.version(version == 10 ? 10 : 11);
        bool keep_alive = visitor_keep_alive;
        if (!bodiless) {
            if (length) res.content_length(*length);
            else if (version >= 11) res.chunked(true);
            else keep_alive = false;  // HTTP/1.0 without a length: the body ends with the connection
        }
        res.keep_alive(keep_alive);

        http::response_serializer<http::buffer_body> out{res};
        boost::system::error_code ec;
        // The headers go out with the body's first piece when the origin has sent it already (one
        // write instead of two for the usual small answer); else at once, so that the visitor sees
        // the headers of a slow body without waiting for it.
        if (bodiless || parser.is_done() || origin_.buffer().size() == 0) {
            connection_.expire_after(write_timeout);
            co_await http::async_write_header(stream_, out, on(ec));
            if (failed_visitor(ec)) {
                origin_.close();
                co_return false;
            }
        }
        auto& body = res.body();
        while (!bodiless && !parser.is_done()) {
            body.data = piece.data();
            body.size = piece.size();
            connection_.expire_never();
            origin_.stream().expires_after(shared_.settings.read_timeout);
            co_await http::async_read_some(origin_.stream(), origin_.buffer(), parser, on(ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) {
                shared_.logger.log(api::LogLevel::info, "edge_origin_failed",
                                   {{"ray", ray}, {"error", ec.message()}, {"after", "headers"}});
                origin_.close();
                co_return false;
            }
            std::size_t got = piece.size() - body.size;
            if (got == 0 && !parser.is_done()) continue;
            body.data = got ? piece.data() : nullptr;
            body.size = got;
            body.more = !parser.is_done();
            connection_.expire_after(write_timeout);
            co_await http::async_write(stream_, out, on(ec));
            if (ec == http::error::need_buffer) ec = {};
            if (failed_visitor(ec)) {
                origin_.close();
                co_return false;
            }
        }
        if (!bodiless && !out.is_done()) {
            body.data = nullptr;
            body.size = 0;
            body.more = false;
            connection_.expire_after(write_timeout);
            co_await http::async_write(stream_, out, on(ec));
            if (failed_visitor(ec)) {
                origin_.close();
                co_return false;
            }
        }
        if (!origin_keep_alive || !parser.is_done()) origin_.close();
        else origin_.release_buffer_space();
        co_return keep_alive;
    }

    Shared& shared_;
    Stream& stream_;
    VisitorConnection& connection_;
    const std::string& client_ip_;
    bool https_;
    beast::flat_buffer buffer_;  // the visitor's bytes read ahead: headers, a pipelined request
    OriginConnection origin_;
    boost::system::error_code visitor_failure_;
};

}  // namespace

net::awaitable<boost::system::error_code> serve_requests(Shared& shared, ErasedStream& stream,
                                                        VisitorConnection& connection, const std::string& client_ip,
                                                        bool https) {
    Exchange exchange(shared, stream, connection, client_ip, https);
    co_return co_await exchange.run();
}

}  // namespace server::edge
