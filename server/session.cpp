#include "server/session.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "api/emulator/gateway_fidelity.hpp"
#include "api/envelope.hpp"
#include "api/service.hpp"
#include "server/asio_names.hpp"
#include "server/erased_stream.hpp"
#include "server/logger.hpp"
#include "server/request_bytes.hpp"

namespace server {
namespace {

using tcp = net::ip::tcp;

constexpr std::size_t linger_discard_limit = 64 * 1024 * 1024;
// A streamed answer that ends within this many bytes is sent whole, with a Content-Length, as
// any other answer: only large ones go out in chunks.
constexpr std::size_t whole_body_limit = 64 * 1024;
constexpr std::chrono::seconds linger_timeout{2};

// Request ids: a random per-process prefix and a counter, unique enough to correlate logs.
std::string next_request_id() {
    static const std::uint32_t prefix = std::random_device{}();
    static std::atomic<std::uint32_t> counter{0};
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", prefix, counter.fetch_add(1) + 1);
    return buf;
}

}  // namespace

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One session per connection, over plain TCP or TLS (the API's --api-tls-listen): the same
// reading, answering and limits either way; only the handshake and the layer under it differ.
class Session : public SessionBase, public std::enable_shared_from_this<Session> {
public:
    Session(const HttpSettings& settings, api::Service& service, Logger& logger, Connections& connections,
            std::unique_ptr<ErasedStream> stream)
        : stream_(std::move(stream)), settings_(settings), service_(service), logger_(logger),
          connections_(connections) {}

    // Not vptr-checked, like ConnectionRegistry::shed_one: a connection the registry shed when
    // descriptors ran out may be the first session destroyed, and UBSan's first check of a type
    // pair needs a descriptor of its own (it probes the vtable through a pipe).
#if defined(__GNUC__)
    __attribute__((no_sanitize("vptr")))
#endif
    ~Session() override {
        if (id_) connections_.remove(id_);
    }

    Phase phase() const override { return phase_.load(std::memory_order_relaxed); }
    std::chrono::steady_clock::rep phase_since() const override { return phase_since_.load(std::memory_order_relaxed); }
    bool being_shed() const override { return shedding_.load(); }
    void claim_for_shedding() override { shedding_ = true; }

    // Closes the connection to make room, unless a request arrived meanwhile.
    void shed() override {
        net::post(stream_->get_executor(), [self = this->shared_from_this()] {
            if (self->busy_) {
                self->shedding_ = false;
                return;
            }
            self->logger_.log(api::LogLevel::debug, "connection_shed",
                              {{"phase", phase_name(self->phase())}});
            self->close();
        });
    }

    void start() {
        id_ = connections_.add(this->shared_from_this());
        // The TLS handshake has the headers' deadline: a client that never finishes it is a
        // slow-loris too. (A plain stream's handshake completes at once.)
        set_phase(Phase::header);
        lowest().expires_after(settings_.header_timeout);
        auto handshaken = [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) return self->close_quietly(ec, "handshake_timeout");
            self->read_request();
        };
        stream_->async_handshake(ErasedStream::HandshakeHandler(std::move(handshaken)));
    }

    void request_shutdown() override {
        net::post(stream_->get_executor(), [self = this->shared_from_this()] {
            self->stopping_ = true;
            if (!self->busy_) self->close();
        });
    }

private:
    static const char* phase_name(Phase phase) {
        switch (phase) {
            case Phase::idle: return "idle";
            case Phase::header: return "header";
            case Phase::body: return "body";
            case Phase::busy: return "busy";
        }
        return "?";
    }

    void set_phase(Phase phase) {
        phase_since_.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
        phase_.store(phase, std::memory_order_relaxed);
    }

    // A request is read in three steps, each with its own deadline: the first byte (the idle
    // keep-alive gap), the headers (so a slow-loris cannot hold a connection by trickling them),
    // then the body.
    void read_request() {
        if (stopping_) return close();
        parser_.emplace();  // a fresh parser per message: limits apply to each request
        parser_->body_limit(settings_.max_body);
        parser_->header_limit(static_cast<std::uint32_t>(settings_.max_header_bytes));
        if (buffer_.size() != 0) return read_header();  // pipelined: the next request is here already
        set_phase(Phase::idle);
        lowest().expires_after(settings_.idle_timeout);
        stream_->async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->buffer_.commit(n);
            if (ec) return self->close_quietly(ec, "idle_timeout");
            self->read_header();
        });
    }

    void read_header() {
        set_phase(Phase::header);
        lowest().expires_after(settings_.header_timeout);
        http::async_read_header(*stream_, buffer_, *parser_,
                                beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
    }

    void on_header(beast::error_code ec, std::size_t) {
        if (ec == beast::error::timeout) return close_quietly(ec, "header_timeout");
        if (ec || parser_->is_done()) return on_read(ec, 0);
        set_phase(Phase::body);
        lowest().expires_after(settings_.read_timeout);
        http::async_read(*stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, this->shared_from_this()));
    }

    // Timeouts, resets, a client gone between requests: nobody to answer.
    void close_quietly(beast::error_code ec, const char* timeout_reason) {
        if (ec == beast::error::timeout)
            logger_.log(api::LogLevel::debug, "connection_closed", {{"reason", timeout_reason}});
        close();
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == http::error::end_of_stream) return close();
        // The client stopped sending (e.g. half-closed) before the request was complete, such as a
        // body shorter than its Content-Length: it can still read the answer.
        if (ec == http::error::partial_message)
            return answer_and_close(api::malformed_http_request(400, "request ended before it was complete"));
        if (ec == http::error::body_limit) return answer_and_close(api::payload_too_large(settings_.max_body));
        if (ec == http::error::header_limit) return answer_and_close(api::malformed_http_request(431, "header fields too large"));
        if (ec && ec.category() == http::make_error_code(http::error::bad_method).category())
            return answer_and_close(api::malformed_http_request(400, ec.message()));
        if (ec) return close_quietly(ec, "body_timeout");

        busy_ = true;
        set_phase(Phase::busy);
        keep_alive_ = parser_->get().keep_alive();
        version_ = parser_->get().version();
        started_ = std::chrono::steady_clock::now();
        api::Request request = to_api(parser_->get(), next_request_id());
        request_id_ = request.request_id;
        method_ = request.method;
        path_ = request.path;
        // The response may be completed on a key-generation thread; hop back onto this
        // connection's strand, and keep the io_context running until it arrives.
        auto tracked = net::prefer(stream_->get_executor(), net::execution::outstanding_work.tracked);
        service_.handle(std::move(request), [self = this->shared_from_this(), tracked](api::Response response) {
            net::post(tracked, [self, response = std::move(response)]() mutable {
                self->write_response(std::move(response), false);
            });
        });
    }

    void answer_and_close(api::Response response) {
        busy_ = true;
        set_phase(Phase::busy);
        keep_alive_ = false;
        started_ = std::chrono::steady_clock::now();
        request_id_ = next_request_id();
        method_ = parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string()) : "-";
        path_ = parser_ && parser_->is_header_done() ? std::string(parser_->get().target()) : "-";
        if (auto q = path_.find('?'); q != std::string::npos) path_.resize(q);
        write_response(std::move(response), true);
    }

    void write_response(api::Response response, bool force_close) {
        if (response.drop_connection) {
            logger_.log(api::LogLevel::info, "request",
                        {{"request_id", request_id_}, {"method", method_}, {"path", path_}, {"status", "dropped"}});
            busy_ = false;
            return close();
        }
        bool keep_alive = keep_alive_ && !stopping_ && !force_close;
        std::string first_piece;
        if (response.stream && !start_stream(response, first_piece)) return;
        log_request(response.status);
        if (response.stream) return write_streamed(std::move(response), std::move(first_piece), keep_alive);

        http::response<http::string_body> message{static_cast<http::status>(response.status), version_};
        set_headers(message, response);
        message.body() = std::move(response.body);
        message.keep_alive(keep_alive);
        message.prepare_payload();
        lowest().expires_after(settings_.write_timeout);
        beast::async_write(*stream_, http::message_generator(std::move(message)),
                           beast::bind_front_handler(&Session::on_write, this->shared_from_this(), keep_alive));
    }

    template <class Message>
    void set_headers(Message& message, const api::Response& response) {
        message.set(http::field::server, "csr-emulator");
        message.set("CF-RAY", request_id_ + "-EMU");
        for (auto& [name, value] : response.headers) message.set(name, value);
        // Service dates its answers by the emulator's clock; answers made here (413, 431, …) by
        // the real one.
        if (message.find(http::field::date) == message.end())
            message.set(http::field::date, api::http_date(std::chrono::system_clock::now()));
    }

    void log_request(int status) {
        if (!logger_.enabled(api::LogLevel::info)) return;  // the fields cost allocations and a printf
        auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.3f", elapsed);
        logger_.log(api::LogLevel::info, "request",
                    {{"request_id", request_id_},
                     {"method", method_},
                     {"path", path_},
                     {"status", std::to_string(status)},
                     {"duration_ms", duration}});
    }

    // Pulls a streamed body's first pieces. One that ends within whole_body_limit becomes a plain
    // body (response.stream reset); a longer one keeps its stream, with what was pulled so far in
    // `first_piece`. False when the stream failed: the connection is closed, nothing was sent.
    bool start_stream(api::Response& response, std::string& first_piece) {
        try {
            std::string piece;
            while (first_piece.size() < whole_body_limit) {
                if (!response.stream->next(piece)) {
                    response.body = std::move(first_piece);
                    response.stream.reset();
                    return true;
                }
                first_piece += piece;
            }
            return true;
        } catch (const std::exception& e) {
            stream_failed(e.what());
            return false;
        }
    }

    // A large answer in pieces, each pulled only once the previous one is written and each with
    // its own write deadline: the reader's pace sets how fast the answer is made, and its memory
    // is one piece. HTTP/1.1 gets chunked encoding; HTTP/1.0 a body that ends when we close.
    void write_streamed(api::Response response, std::string first_piece, bool keep_alive) {
        streamed_ = std::make_unique<StreamedAnswer>();
        auto& answer = *streamed_;
        answer.message.result(static_cast<http::status>(response.status));
        answer.message.version(version_);
        set_headers(answer.message, response);
        if (version_ >= 11) answer.message.chunked(true);
        else keep_alive = false;
        answer.message.keep_alive(keep_alive);
        answer.keep_alive = keep_alive;
        answer.source = std::move(response.stream);
        answer.piece = std::move(first_piece);
        write_piece();
    }

    void write_piece() {
        auto& answer = *streamed_;
        auto& body = answer.message.body();
        body.data = answer.last ? nullptr : answer.piece.data();
        body.size = answer.last ? 0 : answer.piece.size();
        body.more = !answer.last;
        lowest().expires_after(settings_.write_timeout);
        http::async_write(*stream_, answer.serializer, beast::bind_front_handler(&Session::on_piece_written, this->shared_from_this()));
    }

    void on_piece_written(beast::error_code ec, std::size_t) {
        auto& answer = *streamed_;
        if (ec == http::error::need_buffer) ec = {};  // the piece is out; the serializer wants the next
        if (ec) {
            log_cut(ec, answer.sent);
            streamed_.reset();
            busy_ = false;
            return close();
        }
        if (answer.serializer.is_done()) {
            bool keep_alive = answer.keep_alive;
            streamed_.reset();
            return on_write(keep_alive, {}, 0);
        }
        answer.sent += answer.piece.size();
        try {
            if (!answer.source->next(answer.piece)) answer.last = true;
        } catch (const std::exception& e) {
            stream_failed(e.what());
            return;
        }
        write_piece();
    }

    // The answer cannot be finished (its status line may be out already): the connection is cut,
    // which a client sees as an incomplete answer rather than a wrong one.
    void stream_failed(const char* what) {
        logger_.log(api::LogLevel::error, "response_failed",
                    {{"request_id", request_id_}, {"method", method_}, {"path", path_}, {"error", what}});
        streamed_.reset();
        busy_ = false;
        close();
    }

    // A reader cut off mid-answer: too slow to take a write within --write-timeout-ms, or gone.
    void log_cut(beast::error_code ec, std::uint64_t bytes_sent) {
        bool timeout = ec == beast::error::timeout;
        logger_.log(timeout ? api::LogLevel::warn : api::LogLevel::info, "response_cut",
                    {{"request_id", request_id_},
                     {"method", method_},
                     {"path", path_},
                     {"reason", timeout ? std::string("write_timeout") : ec.message()},
                     {"bytes_sent", std::to_string(bytes_sent)}});
    }

    void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes_written) {
        busy_ = false;
        if (ec) {
            log_cut(ec, bytes_written);
            return close();
        }
        if (!keep_alive) return linger_close();
        read_request();
    }

    // Half-close and drain what the client still sends (e.g. the rest of an oversized body), so
    // it reads our response instead of a connection reset.
    void linger_close() {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest().expires_after(linger_timeout);
        drain();
    }

    void drain() {
        stream_->async_read_some(net::buffer(discard_), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->discarded_ += n;
            if (ec || self->discarded_ > linger_discard_limit) return self->close();
            self->drain();
        });
    }

    void close() {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().close();
    }

    beast::tcp_stream& lowest() { return beast::get_lowest_layer(*stream_); }

    std::unique_ptr<ErasedStream> stream_;  // TLS or plain (erased_stream.hpp says why)
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const HttpSettings& settings_;
    api::Service& service_;
    Logger& logger_;
    Connections& connections_;
    std::uint64_t id_ = 0;

    bool busy_ = false;       // a request is being answered
    bool stopping_ = false;   // server shutdown: close after the current response
    bool keep_alive_ = true;
    unsigned version_ = 11;
    std::chrono::steady_clock::time_point started_;
    std::string request_id_, method_, path_;
    std::array<char, 16 * 1024> discard_{};

    // The answer being written in pieces (write_streamed), if any. The serializer refers to the
    // message, so the two live together at a fixed address.
    struct StreamedAnswer {
        http::response<http::buffer_body> message;
        http::response_serializer<http::buffer_body> serializer{message};
        std::shared_ptr<api::BodyStream> source;
        std::string piece;        // being written
        std::uint64_t sent = 0;   // body bytes written before it
        bool keep_alive = false;
        bool last = false;        // the stream has ended: the final (empty) chunk is being written
    };
    std::unique_ptr<StreamedAnswer> streamed_;
    std::size_t discarded_ = 0;

    // Read by the registry from other threads.
    std::atomic<Phase> phase_{Phase::idle};
    std::atomic<std::chrono::steady_clock::rep> phase_since_{std::chrono::steady_clock::now().time_since_epoch().count()};
    std::atomic<bool> shedding_{false};
};

template class ConnectionRegistry<SessionBase>;

void start_session(tcp::socket socket, const HttpSettings& settings, api::Service& service, Logger& logger,
                   Connections& connections) {
    std::make_shared<Session>(settings, service, logger, connections,
                              std::make_unique<ErasedStreamOver<PlainStream>>(std::move(socket)))
        ->start();
}

void start_tls_session(tcp::socket socket, net::ssl::context& context, const HttpSettings& settings,
                       api::Service& service, Logger& logger, Connections& connections) {
    std::make_shared<Session>(settings, service, logger, connections,
                              std::make_unique<ErasedStreamOver<TlsStream>>(std::move(socket), context))
        ->start();
}

}  // namespace server
