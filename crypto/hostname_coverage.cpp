// Whether a certificate's DNS names cover a hostname (RFC 6125 wildcards).
#include <algorithm>
#include <cctype>

#include "crypto/certificate.hpp"

namespace crypto {

namespace {

std::string normalized(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::string out(name);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool covers(std::string_view pattern_text, std::string_view hostname_text) {
    std::string pattern = normalized(pattern_text);
    std::string host = normalized(hostname_text);
    if (pattern.empty() || host.empty()) return false;
    if (pattern == host) return true;
    if (!pattern.starts_with("*.")) return false;
    std::string_view suffix = std::string_view(pattern).substr(1);  // ".a.com"
    // Like OpenSSL, "*.com" is no wildcard: at least two labels must follow the "*".
    if (suffix.find('.', 1) == std::string_view::npos) return false;
    std::size_t dot = host.find('.');
    if (dot == std::string::npos || dot == 0) return false;
    return std::string_view(host).substr(dot) == suffix;
}

}  // namespace

bool name_covered(const std::vector<std::string>& dns_names, std::string_view hostname) {
    return std::any_of(dns_names.begin(), dns_names.end(), [&](const std::string& name) { return covers(name, hostname); });
}

}  // namespace crypto
