#pragma once
// A byte stream, TLS or plain, behind one type, so that the code reading and writing HTTP over it
// is compiled once for both: the edge's exchange (edge/visitor_exchange.cpp) and the API session
// (session.cpp). Their Beast algorithms are the costliest code in the project to compile, and
// instantiating them for each stream type compiled them twice (the TLS instantiations took longer
// than any other file). The price is a virtual call and a small allocation per read or write (the
// type-erased completion handler), next to the system call and, for TLS, the record's encryption
// that each of them costs anyway. Private to server/.
#include <array>
#include <cstddef>
#include <span>
#include <utility>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace server {

class ErasedStream {
public:
    using executor_type = boost::asio::any_io_executor;
    using IoHandler = boost::asio::any_completion_handler<void(boost::beast::error_code, std::size_t)>;
    using HandshakeHandler = boost::asio::any_completion_handler<void(boost::beast::error_code)>;

    virtual ~ErasedStream() = default;

    // The TCP stream underneath (beast::get_lowest_layer finds it through next_layer()): its
    // deadlines bound every read and write made here.
    virtual boost::beast::tcp_stream& next_layer() = 0;
    executor_type get_executor() { return next_layer().get_executor(); }

    // AsyncReadStream: reads into the first non-empty buffer (what a read_some may do).
    template <class MutableBufferSequence, class Token>
    auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
        boost::asio::mutable_buffer first;
        for (boost::asio::mutable_buffer b : boost::beast::buffers_range_ref(buffers))
            if (b.size() > 0) {
                first = b;
                break;
            }
        return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
            [this, first](auto handler) { read_some(first, IoHandler(std::move(handler))); }, token);
    }

    // AsyncWriteStream: writes up to the first max_pieces buffers of the sequence (a write_some may
    // write less than it was given; Beast's algorithms write the rest next). The list is kept
    // here until the write completes: one write at a time, as for any stream.
    template <class ConstBufferSequence, class Token>
    auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
        pieces_count_ = 0;
        for (boost::asio::const_buffer b : boost::beast::buffers_range_ref(buffers)) {
            if (b.size() == 0) continue;
            if (pieces_count_ == max_pieces) break;
            pieces_[pieces_count_++] = b;
        }
        return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
            [this](auto handler) {
                write_some(std::span<const boost::asio::const_buffer>(pieces_.data(), pieces_count_),
                           IoHandler(std::move(handler)));
            },
            token);
    }

    // A TLS stream's server handshake; a plain stream has none and completes at once.
    virtual void async_handshake(HandshakeHandler handler) = 0;

private:
    static constexpr std::size_t max_pieces = 16;
    virtual void read_some(boost::asio::mutable_buffer buffer, IoHandler handler) = 0;
    virtual void write_some(std::span<const boost::asio::const_buffer> buffers, IoHandler handler) = 0;

    std::array<boost::asio::const_buffer, max_pieces> pieces_;
    std::size_t pieces_count_ = 0;
};

// The same over a concrete stream: Beast's tcp_stream or its ssl_stream over one, held by value
// (ErasedStreamOver<TlsStream>, made from the stream's constructor arguments) or by reference
// (ErasedStreamOver<TlsStream&>, over a stream owned elsewhere).
template <class Stream>
class ErasedStreamOver final : public ErasedStream {
public:
    template <class... Args>
    explicit ErasedStreamOver(Args&&... args) : stream_(std::forward<Args>(args)...) {}
    boost::beast::tcp_stream& next_layer() override { return boost::beast::get_lowest_layer(stream_); }

    void async_handshake(HandshakeHandler handler) override {
        if constexpr (requires { stream_.async_handshake(boost::asio::ssl::stream_base::server, std::move(handler)); })
            stream_.async_handshake(boost::asio::ssl::stream_base::server,
                                    boost::asio::bind_executor(stream_.get_executor(), std::move(handler)));
        else
            boost::asio::post(stream_.get_executor(), [h = std::move(handler)]() mutable { std::move(h)(boost::beast::error_code{}); });
    }

private:
    // The handler is bound to the stream's executor, which it runs on anyway: Boost 1.81's
    // any_completion_executor cannot be asked for blocking.never, which Beast's tcp_stream asks
    // when it completes an operation at once (a deadline already passed).
    void read_some(boost::asio::mutable_buffer buffer, IoHandler handler) override {
        stream_.async_read_some(buffer, boost::asio::bind_executor(stream_.get_executor(), std::move(handler)));
    }
    void write_some(std::span<const boost::asio::const_buffer> buffers, IoHandler handler) override {
        stream_.async_write_some(buffers, boost::asio::bind_executor(stream_.get_executor(), std::move(handler)));
    }

    Stream stream_;
};

}  // namespace server
