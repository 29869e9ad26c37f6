#pragma once
// One HTTP exchange on a fresh connection: connect, send the request, read the answer, all
// under one deadline. The HTTP probe (GETs of validation tokens) and the webhook sender (POSTs
// of notifications) both use it; it runs on the caller's io_context and completes exactly once.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace server {

struct HttpExchangeResult {
    boost::beast::error_code error;  // set when no answer was read (timeout, refused, ...)
    int status = 0;
    std::string reason;
    std::string body;  // at most the body limit: a longer body is cut there, not an error
};

// A request line and headers for one exchange: HTTP/1.1, Host as the URL gave it (with its port,
// if any), Connection: close.
boost::beast::http::request<boost::beast::http::string_body> exchange_request(boost::beast::http::verb method,
                                                                              const std::string& host,
                                                                              unsigned short port,
                                                                              const std::string& target);

class HttpExchange : public std::enable_shared_from_this<HttpExchange> {
public:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    HttpExchange(boost::asio::io_context& io, Request request, std::size_t body_limit,
                 std::function<void(HttpExchangeResult)> done);
    ~HttpExchange();

    // On the io_context's thread.
    void start(const boost::asio::ip::tcp::endpoint& endpoint, std::chrono::steady_clock::duration timeout);
    // Closes the connection: an exchange in flight completes with an error.
    void cancel();
    // Completes now with `error` (no connection was made: the address did not resolve, ...).
    void fail(const boost::beast::error_code& error);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace server
