#pragma once
// Beast request -> api::Request: the one conversion the HTTP session uses, shared with the HTTP
// fuzzer (tests/fuzz/fuzz_http.cpp) so that it exercises the real parser and the real conversion.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http_types.hpp"

namespace server {

api::Request to_api(boost::beast::http::request<boost::beast::http::string_body>& message, std::string request_id);

// One request parsed from `bytes` by Beast's request parser with the session's limits, then
// converted. nullopt when Beast refuses the bytes (the session answers those with an envelope
// or closes) or when they end before the request is complete.
// `consumed` (if given) receives how many bytes the request took, so pipelined requests can follow.
std::optional<api::Request> parse_request_bytes(std::string_view bytes, std::size_t max_body,
                                                std::size_t max_header_bytes, std::size_t* consumed = nullptr);

}  // namespace server
