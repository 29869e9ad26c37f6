#include "api/edge/request_framing.hpp"

#include <string_view>

namespace api::edge {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
}

// The codings of every Transfer-Encoding line, in order, lower-cased, without parameters
// (RFC 9110 §5.6.1: empty list elements are ignored).
std::vector<std::string> codings(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const auto& line : lines) {
        std::string_view rest(line);
        while (true) {
            auto comma = rest.find(',');
            auto element = trim(rest.substr(0, comma));
            element = trim(element.substr(0, element.find(';')));
            if (!element.empty()) out.push_back(lower(element));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

// uri-host [ ":" port ] (RFC 9110 §7.2): a reg-name or IPv4 address, or an IP literal in brackets;
// no spaces, user info, path or second value.
bool valid_host(std::string_view host) {
    for (unsigned char c : host) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("-._~!$&'()*+;=%:[]").find(static_cast<char>(c)) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> framing_problem(const RequestFraming& request) {
    if (request.host.size() > 1) return "more than one Host header";
    if (request.host.empty() && request.version >= 11) return "no Host header in an HTTP/1.1 request";
    if (!request.host.empty() && !valid_host(request.host.front())) return "invalid Host header";
    if (request.transfer_encoding.empty()) return std::nullopt;
    if (request.version < 11) return "Transfer-Encoding in an HTTP/1.0 request";
    if (request.has_content_length) return "both Transfer-Encoding and Content-Length";
    auto list = codings(request.transfer_encoding);
    if (list.empty() || list.back() != "chunked") return "Transfer-Encoding does not end in chunked";
    for (std::size_t i = 0; i + 1 < list.size(); ++i)
        if (list[i] == "chunked") return "chunked applied more than once";
    return std::nullopt;
}

}  // namespace api::edge
