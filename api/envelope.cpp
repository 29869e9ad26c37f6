#include "api/envelope.hpp"

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/paging.hpp"

namespace api {
namespace {

// nlohmann's dump(-1, ' ', false, replace), byte for byte, without its per-byte UTF-8 state
// machine for ASCII strings (CSR and certificate PEMs are most of a list's body): an ASCII string
// is copied in runs between the bytes that need escaping; anything else (non-ASCII strings,
// floats, binary) is left to nlohmann.
void dump_string(std::string& out, const std::string& text) {
    for (unsigned char c : text)
        if (c >= 0x80) {
            out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return;
        }
    out += '"';
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p;
    static constexpr char hex[] = "0123456789abcdef";
    for (; p != end; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(run, p);
        run = p + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
                out.append(u, sizeof u);
            }
        }
    }
    out.append(run, end);
    out += '"';
}

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
