#pragma once
// An api::Request made in a test as the server's reader makes one from the wire: a request
// target split at '?' into path and query, a body and headers.
#include <string>
#include <utility>

#include "api/http_types.hpp"

namespace test_support {

inline api::Request api_request(std::string method, const std::string& target, std::string body = {},
                                api::HeaderList headers = {}) {
    api::Request request;
    request.method = std::move(method);
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.body = std::move(body);
    request.headers = std::move(headers);
    return request;
}

}  // namespace test_support
