#include "api/zones/zone_names.hpp"

#include <cctype>

#include "api/context.hpp"

namespace api {
namespace {

bool label_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

}  // namespace

bool is_zone_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 253) return false;
    std::size_t labels = 0, start = 0;
    while (true) {
        std::size_t dot = name.find('.', start);
        std::string_view label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        for (char c : label)
            if (!label_char(c)) return false;
        ++labels;
        if (dot == std::string_view::npos) return labels >= 2 && label.size() >= 2 && label.size() <= 20;
        if (label.empty() || label.front() == '-') return false;
        start = dot + 1;
    }
}

std::optional<storage::Zone> zone_covering(Context& context, std::string_view hostname) {
    if (hostname.starts_with("*.")) hostname.remove_prefix(2);
    // From the longest suffix down: the first existing zone is the most specific one.
    for (std::size_t start = 0; start < hostname.size();) {
        if (auto zone = context.zones.find_by_name(std::string(hostname.substr(start)))) return zone;
        std::size_t dot = hostname.find('.', start);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return std::nullopt;
}

}  // namespace api
