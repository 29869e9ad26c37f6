#include "server/config_values.hpp"

#include "server/config.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace server {

double parse_scale(std::string_view flag, const std::string& text) {
    char* end = nullptr;
    double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value <= 0 || value > 1000)
        throw UsageError(std::string(flag) + ": expected a number above 0 and at most 1000 (e.g. 0.001), got '" + text + "'");
    return value;
}

const std::string& parse_choice(std::string_view flag, const std::string& text, const std::vector<std::string_view>& words) {
    if (std::find(words.begin(), words.end(), text) != words.end()) return text;
    std::string expected;
    std::size_t i = 0;
    for (auto word : words) {
        if (i > 0) expected += i + 1 == words.size() ? " or " : ", ";
        expected += word;
        ++i;
    }
    throw UsageError(std::string(flag) + ": expected " + expected + ", got '" + text + "'");
}

std::optional<std::pair<std::string, std::string>> split_pair(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
    return std::pair{text.substr(0, colon), text.substr(colon + 1)};
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) items.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return items;
}

std::vector<std::string> token_entries(const std::string& text) {
    if (text.find_first_of("; \t:") == std::string::npos) return split_list(text);
    std::vector<std::string> items;
    std::string current;
    for (char c : text) {
        if (c == ';' || c == ' ' || c == '\t') {
            if (!current.empty()) items.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) items.push_back(current);
    return items;
}

TokenSpec parse_token_spec(const std::string& spec) {
    auto colon = spec.find(':');
    TokenSpec parsed{spec.substr(0, colon), std::nullopt};
    if (parsed.token.empty()) throw UsageError("--api-token: expected TOKEN or TOKEN:ZONE[,ZONE...], got '" + spec + "'");
    if (colon == std::string::npos) return parsed;
    // Unlike split_list, an empty zone is a mistake here: "t:a,,b" most likely lost a zone id.
    parsed.zones.emplace();
    std::string rest = spec.substr(colon + 1);
    std::size_t start = 0;
    while (true) {
        auto comma = rest.find(',', start);
        std::string zone = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (zone.empty()) throw UsageError("--api-token: empty zone in '" + spec + "'");
        parsed.zones->push_back(zone);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return parsed;
}

bool printable_token(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool host_name(const std::string& text) {
    if (text == "*") return true;
    std::string name = text.size() > 2 && text.front() == '[' && text.back() == ']' ? text.substr(1, text.size() - 2) : text;
    if (std::count(name.begin(), name.end(), ':') >= 2)  // an IPv6 address ("[::1]" or "::1")
        return std::all_of(name.begin(), name.end(),
                           [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; });
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(const std::string& text) {
    std::string host;
    std::string port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty() || port.empty()) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return std::nullopt;
    return std::pair{host, static_cast<std::uint16_t>(value)};
}

}  // namespace server
