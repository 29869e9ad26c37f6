#include "api/envelope.hpp"

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/paging.hpp"

namespace api {

Response json_response(int status, const nlohmann::json& body, HeaderList extra_headers) {
    Response response;
    response.status = status;
    response.headers = std::move(extra_headers);
    response.headers.emplace_back("Content-Type", "application/json");
    // Echoed client input may hold invalid UTF-8; replace it rather than fail the response.
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

nlohmann::json error_items(const std::vector<ErrorItem>& errors) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : errors) {
        nlohmann::json item = {{"code", e.code}, {"message", e.message}};
        if (!e.chain.empty()) item["error_chain"] = error_items(e.chain);
        items.push_back(std::move(item));
    }
    return items;
}

Response success(nlohmann::json result, int status) {
    return json_response(status, {{"success", true},
                                  {"errors", nlohmann::json::array()},
                                  {"messages", nlohmann::json::array()},
                                  {"result", std::move(result)}});
}

Response success_list(nlohmann::json items, const ResultInfo& info) {
    std::int64_t total_pages = info.per_page > 0 ? (info.total_count + info.per_page - 1) / info.per_page : 0;
    return json_response(200, {{"success", true},
                               {"errors", nlohmann::json::array()},
                               {"messages", nlohmann::json::array()},
                               {"result", std::move(items)},
                               {"result_info",
                                {{"page", info.page},
                                 {"per_page", info.per_page},
                                 {"count", info.count},
                                 {"total_count", info.total_count},
                                 {"total_pages", total_pages}}}});
}

Response failure(const ApiError& error) {
    HeaderList headers = error.headers();
    // The TypeScript and Go SDKs retry 409s unless told not to; every emulator 409 (a CSR in
    // use, a duplicate hostname, ...) stays the same however often it is retried.
    if (error.status() == 409) headers.emplace_back("x-should-retry", "false");
    return json_response(error.status(),
                         {{"success", false},
                          {"errors", error_items(error.errors())},
                          {"messages", nlohmann::json::array()},
                          {"result", nullptr}},
                         std::move(headers));
}

Response payload_too_large(std::size_t limit) {
    const auto& spec = gateway_errors::body_too_large;
    return failure(ApiError(spec, std::string(spec.message) + ": the limit is " + std::to_string(limit) + " bytes"));
}

Response malformed_http_request(int status, std::string_view reason) {
    const auto& spec = gateway_errors::malformed_http;
    return failure(ApiError(ErrorSpec{status, spec.code, spec.message}, std::string(spec.message) + ": " + std::string(reason)));
}

}  // namespace api
