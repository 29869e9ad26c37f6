#include "server/request_bytes.hpp"

#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

namespace server {

namespace http = boost::beast::http;

api::Request to_api(http::request<http::string_body>& message, std::string request_id) {
    api::Request request;
    request.method = std::string(message.method_string());
    std::string_view target = message.target();
    auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    request.body = std::move(message.body());
    request.request_id = std::move(request_id);
    return request;
}

std::optional<api::Request> parse_request_bytes(std::string_view bytes, std::size_t max_body,
                                                std::size_t max_header_bytes, std::size_t* consumed) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(max_body);
    parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
    parser.eager(true);
    boost::beast::error_code ec;
    // Fed in one piece, as when the whole request is already in the session's buffer.
    std::size_t total = 0;
    while (!ec && !parser.is_done() && total < bytes.size()) {
        std::size_t used = parser.put(boost::asio::buffer(bytes.data() + total, bytes.size() - total), ec);
        if (used == 0 && !ec) break;
        total += used;
    }
    if (ec == boost::beast::http::error::need_more) return std::nullopt;
    if (consumed) *consumed = total;
    // The end of the bytes is the end of the stream: a body that runs until close ends here.
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return std::nullopt;
    return to_api(parser.get(), "fuzz");
}

}  // namespace server
