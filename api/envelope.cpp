#include "api/envelope.hpp"

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/json_writer.hpp"
#include "api/paging.hpp"

namespace api {
namespace {

// nlohmann's dump(-1, ' ', false, replace), byte for byte, with strings escaped by
// append_json_string (json_writer.hpp); anything else (floats, binary) is left to nlohmann.
void dump_string(std::string& out, const std::string& text) { append_json_string(out, text); }

void dump(std::string& out, const nlohmann::json& value) {
    using t = nlohmann::json::value_t;
    switch (value.type()) {
        case t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : value.items()) {
                if (!first) out += ',';
                first = false;
                dump_string(out, key);
                out += ':';
                dump(out, item);
            }
            out += '}';
            return;
        }
        case t::array: {
            out += '[';
            bool first = true;
            for (const auto& item : value) {
                if (!first) out += ',';
                first = false;
                dump(out, item);
            }
            out += ']';
            return;
        }
        case t::string: dump_string(out, value.get_ref<const std::string&>()); return;
        case t::boolean: out += value.get<bool>() ? "true" : "false"; return;
        case t::null: out += "null"; return;
        case t::number_integer: out += std::to_string(value.get<std::int64_t>()); return;
        case t::number_unsigned: out += std::to_string(value.get<std::uint64_t>()); return;
        default: out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); return;
    }
}

}  // namespace

std::string dump_json(const nlohmann::json& value) {
    std::string out;
    out.reserve(1024);
    dump(out, value);
    return out;
}

Response json_response(int status, const nlohmann::json& body, HeaderList extra_headers) {
    Response response;
    response.status = status;
    response.headers = std::move(extra_headers);
    response.headers.emplace_back("Content-Type", "application/json");
    // Echoed client input may hold invalid UTF-8; replace it rather than fail the response.
    response.body = dump_json(body);
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

// The keys of the success envelope in nlohmann's (sorted) order: errors, messages, result,
// result_info, success.
SuccessBody::SuccessBody(std::size_t expected_size) {
    body_.reserve(expected_size + 160);
    body_ = R"({"errors":[],"messages":[],"result":)";
}

Response SuccessBody::finish(int status) {
    body_ += R"(,"success":true})";
    return respond(status);
}

Response SuccessBody::finish_list(const ResultInfo& info) {
    std::int64_t total_pages = info.per_page > 0 ? (info.total_count + info.per_page - 1) / info.per_page : 0;
    body_ += ',';
    JsonWriter(body_)
        .key("result_info")
        .begin_object()
        .key("count").number(info.count)
        .key("page").number(info.page)
        .key("per_page").number(info.per_page)
        .key("total_count").number(info.total_count)
        .key("total_pages").number(total_pages)
        .end_object();
    body_ += R"(,"success":true})";
    return respond(200);
}

Response SuccessBody::respond(int status) {
    Response response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "application/json");
    response.body = std::move(body_);
    response.error_codes.emplace();  // a success: "errors" is empty
    return response;
}

Response success(nlohmann::json result, int status) {
    SuccessBody body;
    dump(body.out(), result);
    return body.finish(status);
}

Response success_list(nlohmann::json items, const ResultInfo& info) {
    SuccessBody body;
    dump(body.out(), items);
    return body.finish_list(info);
}

Response failure(const ApiError& error) {
    HeaderList headers = error.headers();
    // The TypeScript and Go SDKs retry 409s unless told not to; every emulator 409 (a CSR in
    // use, a duplicate hostname, ...) stays the same however often it is retried.
    if (error.status() == 409) headers.emplace_back("x-should-retry", "false");
    Response response = json_response(error.status(),
                                      {{"success", false},
                                       {"errors", error_items(error.errors())},
                                       {"messages", nlohmann::json::array()},
                                       {"result", nullptr}},
                                      std::move(headers));
    response.error_codes.emplace();
    for (const auto& item : error.errors()) response.error_codes->push_back(item.code);
    return response;
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
