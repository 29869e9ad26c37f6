#pragma once
// An HTTP server for tests on 127.0.0.1 and a free port: each connection carries one request,
// answered by `handler` on the server's own thread, one at a time (all a test origin or a test
// webhook receiver needs).
#include <functional>
#include <memory>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace test_support {

class LoopbackHttpServer {
public:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    explicit LoopbackHttpServer(std::function<Response(const Request&)> handler);
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    unsigned short port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace test_support
