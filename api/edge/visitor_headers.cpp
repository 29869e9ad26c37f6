#include "api/edge/visitor_headers.hpp"

#include <array>
#include <random>

#include "crypto/random.hpp"

namespace api::edge {

// A Ray ID names a request in logs; it is no secret. One per request from a per-thread generator
// seeded once from the CSPRNG: RAND_bytes per request (its locks and fork check, a getpid each
// time) was a few percent of the edge's CPU under a plain-HTTP load.
std::string new_ray_id() {
    thread_local std::mt19937_64 generator{std::stoull(crypto::random_hex(8), nullptr, 16)};
    static constexpr char digits[] = "0123456789abcdef";
    std::uint64_t value = generator();
    std::string id(16 + 4, '\0');
    for (int i = 15; i >= 0; --i, value >>= 4) id[static_cast<std::size_t>(i)] = digits[value & 0xf];
    id.replace(16, 4, "-EMU");
    return id;
}

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
    // Compared without a lower-cased copy: asked for every header of every proxied request.
    auto equal = [&](std::string_view r) {
        if (r.size() != name.size()) return false;
        for (std::size_t i = 0; i < r.size(); ++i) {
            char c = name[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c != r[i]) return false;
        }
        return true;
    };
    for (const char* r : replaced)
        if (equal(r)) return true;
    return false;
}

}  // namespace api::edge
