#pragma once
// The kinds of setting the table is made of: each binds a Config member to a reader from
// config_values.hpp and to the way the start-up log prints it, so a row names its member once.
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "server/config_settings.hpp"
#include "server/config_values.hpp"

namespace server::fields {

using HostPort = std::pair<std::string, std::uint16_t>;

// A whole number in [min, max].
template <class Int>
Field number(Int Config::*member, std::type_identity_t<Int> min, std::type_identity_t<Int> max) {
    return {[=](Config& c, std::string_view flag, const std::string& v) { c.*member = parse_number<Int>(flag, v, min, max); },
            [=](const Config& c) { return std::to_string(c.*member); }};
}

// The same field, its log text `raw` printed as `word` ("0" as "auto", "" as "none").
inline Field logged_as(Field field, std::string raw, std::string word) {
    field.show = [show = std::move(field.show), raw, word](const Config& c) {
        auto text = show(c);
        return text == raw ? word : text;
    };
    return field;
}

// Any text, or (with empty_error) any but the empty one.
inline Field text(std::string Config::*member, std::string_view empty_error = {}) {
    return {[=](Config& c, std::string_view flag, const std::string& v) {
                if (!empty_error.empty() && v.empty()) throw UsageError(std::string(flag) + ": " + std::string(empty_error));
                c.*member = v;
            },
            [=](const Config& c) { return c.*member; }};
}

// A non-empty text, unset by default.
inline Field optional_text(std::optional<std::string> Config::*member, std::string_view empty_error) {
    return {[=](Config& c, std::string_view flag, const std::string& v) {
                if (v.empty()) throw UsageError(std::string(flag) + ": " + std::string(empty_error));
                c.*member = v;
            },
            [=](const Config& c) { return (c.*member).value_or("none"); }};
}

// One of a few words.
inline Field choice(std::string Config::*member, std::vector<std::string_view> words) {
    return {[=](Config& c, std::string_view flag, const std::string& v) { c.*member = parse_choice(flag, v, words); },
            [=](const Config& c) { return c.*member; }};
}

inline Field on_off(bool Config::*member) {
    return {[=](Config& c, std::string_view flag, const std::string& v) { c.*member = parse_choice(flag, v, {"on", "off"}) == "on"; },
            [=](const Config& c) { return std::string(c.*member ? "on" : "off"); }};
}

// HOST:PORT of a listener that is off unless given.
inline Field address(std::optional<HostPort> Config::*member, std::string_view example) {
    return {[=](Config& c, std::string_view flag, const std::string& v) {
                auto hp = parse_host_port(v);
                if (!hp)
                    throw UsageError(std::string(flag) + ": expected HOST:PORT (e.g. " + std::string(example) + "), got '" + v + "'");
                c.*member = hp;
            },
            [=](const Config& c) {
                auto& hp = c.*member;
                return hp ? hp->first + ":" + std::to_string(hp->second) : std::string("off");
            }};
}

// A count per zone; 0 (or unset) means none.
inline Field quota(std::optional<std::int64_t> Config::*member) {
    return {[=](Config& c, std::string_view flag, const std::string& v) {
                auto n = parse_number<std::int64_t>(flag, v, 0, 1'000'000'000);
                c.*member = n == 0 ? std::nullopt : std::optional(n);
            },
            [=](const Config& c) { return c.*member ? std::to_string(*(c.*member)) : std::string("none"); }};
}

inline std::string log_text(const std::string& item) { return item; }
inline std::string log_text(const std::pair<std::string, std::string>& item) { return item.first + ":" + item.second; }

// A repeatable setting: each flag adds one item read by `read`; the variable holds several.
// The log prints them comma-separated, or only their count when they are credentials.
enum class Logged { items, count };
template <class Item, class Read>
Field list(std::vector<Item> Config::*member, ListSyntax syntax, Read read, Logged logged = Logged::items) {
    return {[=](Config& c, std::string_view flag, const std::string& v) { (c.*member).push_back(read(flag, v)); },
            [=](const Config& c) {
                const auto& items = c.*member;
                if (logged == Logged::count) return std::to_string(items.size());
                std::string text;
                for (const auto& item : items) text += (text.empty() ? "" : ",") + log_text(item);
                return text.empty() ? std::string("none") : text;
            },
            syntax, [=](Config& c) { (c.*member).clear(); }};
}

}  // namespace server::fields
