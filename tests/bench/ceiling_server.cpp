// The ceiling for any HTTP server on this stack (a benchmark helper, not a test): a minimal
// Boost.Beast server on the emulator's once-compiled Beast/Asio that answers every request with
// one fixed JSON body, on N threads sharing one io_context as the emulator does. No routing, no
// database, no logging: whatever the emulator's rate falls short of this is its own cost.
//
//   bench_ceiling_server [--listen 127.0.0.1:0] [--threads 2] [--body-file FILE | --body-bytes N]
//
// Prints "ceiling listening on http://HOST:PORT" on stdout when ready; stops on SIGINT/SIGTERM.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

std::shared_ptr<const std::string> g_body;

class Session : public std::enable_shared_from_this<Session> {
public:
    explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
    void start() { read(); }

private:
    void read() {
        request_ = {};
        http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            self->respond();
        });
    }

    void respond() {
        response_ = {};
        response_.version(request_.version());
        response_.result(http::status::ok);
        response_.set(http::field::server, "bench-ceiling");
        response_.set(http::field::content_type, "application/json");
        response_.keep_alive(request_.keep_alive());
        response_.body() = *g_body;
        response_.prepare_payload();
        http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec || !self->response_.keep_alive()) return self->close();
            self->read();
        });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
};

void accept(tcp::acceptor& acceptor, net::io_context& ioc) {
    acceptor.async_accept(net::make_strand(ioc), [&acceptor, &ioc](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true));
            std::make_shared<Session>(std::move(socket))->start();
        }
        accept(acceptor, ioc);
    });
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:0";
    int threads = 2;
    std::string body = R"({"result":{},"success":true,"errors":[],"messages":[]})";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--listen") listen = value;
        else if (flag == "--threads") threads = std::stoi(value);
        else if (flag == "--body-bytes") {
            // A JSON object padded to the requested size.
            std::size_t n = std::stoul(value);
            std::string pad = R"({"result":{"pad":""},"success":true,"errors":[],"messages":[]})";
            body = pad.size() >= n ? pad : pad.insert(19, std::string(n - pad.size(), 'x'));
        } else if (flag == "--body-file") {
            std::ifstream in(value, std::ios::binary);
            if (!in) {
                std::cerr << "cannot read " << value << "\n";
                return 2;
            }
            std::ostringstream text;
            text << in.rdbuf();
            body = text.str();
        } else {
            std::cerr << "usage: bench_ceiling_server [--listen HOST:PORT] [--threads N] [--body-file F | --body-bytes N]\n";
            return 2;
        }
    }
    g_body = std::make_shared<const std::string>(body);
    auto colon = listen.rfind(':');
    net::io_context ioc(threads);
    tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address(listen.substr(0, colon)),
                                              static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)))));
    accept(acceptor, ioc);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
    auto endpoint = acceptor.local_endpoint();
    std::cout << "ceiling listening on http://" << endpoint.address().to_string() << ":" << endpoint.port()
              << " (body " << body.size() << " bytes, " << threads << " threads)" << std::endl;
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    return 0;
}
