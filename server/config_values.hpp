#pragma once
// Readers for the text of a setting (a flag's value or an environment variable's): numbers in a
// range, one of a few words, lists, HOST:PORT, token specs. They know nothing of Config; a bad
// value throws UsageError naming the flag, which parse_config turns into exit code 2.
// (parse_host_port, used by the healthcheck too, is declared in config.hpp.)
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace server {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "FLAG: expected a whole number from MIN to MAX, got 'TEXT'" unless TEXT is one, in range.
template <class Int>
Int parse_number(std::string_view flag, const std::string& text, Int min, Int max) {
    Int value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw UsageError(std::string(flag) + ": expected a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + text + "'");
    return value;
}

// A positive factor such as 0.001 or 1e-5, at most 1000.
double parse_scale(std::string_view flag, const std::string& text);

// TEXT itself when it is one of WORDS; else "FLAG: expected a, b or c, got 'TEXT'".
const std::string& parse_choice(std::string_view flag, const std::string& text, const std::vector<std::string_view>& words);

// "LEFT:RIGHT" with both sides non-empty, split at the first ':' (RIGHT may hold more, as "::1").
std::optional<std::pair<std::string, std::string>> split_pair(const std::string& text);

// "a,b,,c" -> a, b, c: the comma-separated variables of repeatable flags.
std::vector<std::string> split_list(const std::string& text);

// CSR_EMULATOR_API_TOKENS: entries separated by ';' or spaces, since a scoped entry has commas of
// its own ("t1:ZONE_A,ZONE_B;t2"). Without ';', spaces or ':' commas separate tokens, as before.
std::vector<std::string> token_entries(const std::string& text);

// "TOKEN" or "TOKEN:ZONE[,ZONE…]" -> the token and, when scoped, its zones.
struct TokenSpec {
    std::string token;
    std::optional<std::vector<std::string>> zones;
};
TokenSpec parse_token_spec(const std::string& spec);

// A credential on a command line or in a header: printable ASCII, no spaces, not empty.
bool printable_token(const std::string& text);

// A Host header's name without port: a DNS name, an IPv6 address (bracketed or not), or "*".
bool host_name(const std::string& text);

}  // namespace server
