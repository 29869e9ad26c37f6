#pragma once
// Cloudflare's v4 envelope: {success, errors, messages, result[, result_info]}.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/errors.hpp"
#include "api/http_types.hpp"

namespace api {

struct ResultInfo;  // paging.hpp

// value.dump(-1, ' ', false, error_handler_t::replace), the same bytes, faster for ASCII text.
std::string dump_json(const nlohmann::json& value);

// A JSON body with Content-Type application/json (python-cloudflare branches on it).
Response json_response(int status, const nlohmann::json& body, HeaderList extra_headers = {});

Response success(nlohmann::json result, int status = 200);
// The same success envelopes with a result written straight into the body (JsonWriter), without
// building a nlohmann tree: write exactly one JSON value into out(), then finish.
class SuccessBody {
public:
    explicit SuccessBody(std::size_t expected_size = 1024);
    std::string& out() { return body_; }
    Response finish(int status = 200);
    Response finish_list(const ResultInfo& info);

private:
    Response respond(int status);
    std::string body_;
};

Response success_list(nlohmann::json items, const ResultInfo& info);
Response failure(const ApiError& error);

nlohmann::json error_items(const std::vector<ErrorItem>& errors);

// Answers the server gives before a request reaches routing: a body over --max-body (413), and
// an HTTP message Beast cannot parse (400, or 431 for oversized headers).
Response payload_too_large(std::size_t limit);
Response malformed_http_request(int status, std::string_view reason);

}  // namespace api
