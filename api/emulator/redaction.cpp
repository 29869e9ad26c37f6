#include "api/emulator/redaction.hpp"

#include <cstring>

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"

namespace api::emulator {
namespace {

std::string redact_pem_blocks(std::string_view text) {
    static constexpr std::string_view begin = "-----BEGIN ", end = "-----END ", tail = "PRIVATE KEY-----";
    std::string out;
    std::size_t pos = 0;
    while (true) {
        auto start = text.find(begin, pos);
        if (start == std::string_view::npos) break;
        auto label_end = text.find("-----", start + begin.size());
        if (label_end == std::string_view::npos) break;
        // Only key blocks: a certificate or CSR in the same body stays readable.
        bool is_key = text.substr(start, label_end + 5 - start).ends_with(tail);
        auto close = is_key ? text.find(end, label_end) : std::string_view::npos;
        auto close_end = close == std::string_view::npos ? close : text.find(tail, close);
        if (!is_key || close_end == std::string_view::npos) {
            out.append(text.substr(pos, label_end + 5 - pos));
            pos = label_end + 5;
            continue;
        }
        out.append(text.substr(pos, start - pos));
        out.append(redacted);
        pos = close_end + tail.size();
    }
    out.append(text.substr(pos));
    return out;
}

bool secret_field(std::string_view key) {
    // "secret": a webhook destination's, sent as cf-webhook-auth.
    return key == "custom_key" || key == "secret" || key.find("private_key") != std::string_view::npos;
}

void redact_json(nlohmann::json& value) {
    if (value.is_object()) {
        for (auto& [key, item] : value.items()) {
            if (secret_field(key) && !item.is_null()) item = redacted;
            else redact_json(item);
        }
    } else if (value.is_array()) {
        for (auto& item : value) redact_json(item);
    } else if (value.is_string()) {
        value = redact_pem_blocks(value.get_ref<const std::string&>());
    }
}

// Whether the body can hold nothing redact_body would change: no key PEM label, no secret field
// name, and no \u escape that could spell either inside a JSON string. Most bodies (every CSR
// and list the API answers) are such, and parsing and re-serializing them was most of the cost
// of a list request.
// Whether `marker` occurs in the text, found by memchr for its byte at position `at` (a byte
// that is rare in the bodies the API writes) followed by the byte after it.
bool contains(std::string_view text, std::string_view marker, std::size_t at) {
    const char anchor = marker[at];
    const char* begin = text.data();
    const char* end = begin + text.size();
    for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, anchor, static_cast<std::size_t>(end - p)))); ++p) {
        auto offset = static_cast<std::size_t>(p - begin);
        // The byte after the anchor first (every marker has one): most anchors stop there.
        if (offset >= at && offset - at + marker.size() <= text.size() && p[1] == marker[at + 1] &&
            std::memcmp(p - at, marker.data(), marker.size()) == 0)
            return true;
    }
    return false;
}

bool nothing_to_redact(std::string_view body) {
    return !contains(body, "PRIVATE KEY", 7) && !contains(body, "private_key", 7) && !contains(body, "custom_key", 6) &&
           !contains(body, "\\u", 0);
}

std::size_t count_of(std::string_view text, char c) {
    std::size_t n = 0;
    for (const char* p = text.data(), *end = p + text.size();
         (p = static_cast<const char*>(std::memchr(p, c, static_cast<std::size_t>(end - p)))); ++p)
        ++n;
    return n;
}

// nesting_depth(body) <= max_body_depth, cheaply when there are few brackets at all.
bool shallow_enough(std::string_view body) {
    return count_of(body, '{') + count_of(body, '[') <= max_body_depth || nesting_depth(body) <= max_body_depth;
}

}  // namespace

std::string redact_body(std::string body) {
    // A body nested too deep to parse safely (the API refused it with 1400) is not kept: its
    // key fields cannot be found without parsing it, and parsing it could overflow the stack.
    if (!shallow_enough(body)) return std::string(too_deep_body);
    if (nothing_to_redact(body)) return body;
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !(json.is_object() || json.is_array())) return redact_pem_blocks(body);
    redact_json(json);
    return json.dump();
}

std::string credential_kind(const Request& request) {
    if (request.header("X-Auth-User-Service-Key")) return "service_key";
    if (auto auth = request.header("Authorization"); auth && !auth->empty()) return "api_token";
    if (request.header("X-Auth-Key")) return "api_key";
    return "none";
}

}  // namespace api::emulator
