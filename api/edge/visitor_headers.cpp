#include "api/edge/visitor_headers.hpp"

#include <array>

#include "crypto/random.hpp"

namespace api::edge {

std::string new_ray_id() { return crypto::random_hex(8) + "-EMU"; }

std::vector<std::pair<std::string, std::string>> origin_request_headers(
    const std::string& client_ip, const std::optional<std::string>& incoming_forwarded_for, const std::string& ray,
    bool https) {
    std::string forwarded_for =
        incoming_forwarded_for && !incoming_forwarded_for->empty() ? *incoming_forwarded_for + ", " + client_ip : client_ip;
    return {
        {"CF-Connecting-IP", client_ip},
        {"X-Forwarded-For", forwarded_for},
        {"X-Forwarded-Proto", https ? "https" : "http"},
        {"CF-Ray", ray},
        {"CF-Visitor", https ? R"({"scheme":"https"})" : R"({"scheme":"http"})"},
        {"CDN-Loop", "cloudflare"},
        // No geolocation database here: XX is Cloudflare's own value for "unknown".
        {"CF-IPCountry", "XX"},
    };
}

bool is_replaced_request_header(std::string_view name) {
    static constexpr std::array replaced = {"cf-connecting-ip", "x-forwarded-for", "x-forwarded-proto", "cf-ray",
                                            "cf-visitor",       "cdn-loop",        "cf-ipcountry",      "connection",
                                            "keep-alive",       "proxy-connection", "te",               "upgrade",
                                            "trailer"};
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (const char* r : replaced)
        if (lower == r) return true;
    return false;
}

}  // namespace api::edge
