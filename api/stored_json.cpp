#include "api/stored_json.hpp"

#include "api/json_body.hpp"

namespace api {
namespace {

// The problem with an already parsed value of `kind`; empty when there is none.
std::string type_problem(const nlohmann::json& value, StoredJson kind) {
    switch (kind) {
        case StoredJson::object: return value.is_object() ? "" : "not a JSON object";
        case StoredJson::object_of_strings:
            if (!value.is_object()) return "not a JSON object";
            for (const auto& item : value)
                if (!item.is_string()) return "a value that is not a string";
            return "";
        case StoredJson::array_of_strings:
            if (!value.is_array()) return "not a JSON array";
            for (const auto& item : value)
                if (!item.is_string()) return "an item that is not a string";
            return "";
    }
    return "";
}

// The parsed value and the problem (empty when none). Parsing and destroying a value are not
// recursive in nlohmann::json; the depth bound keeps everything done with it afterwards safe.
std::pair<nlohmann::json, std::string> parse(std::string_view text, StoredJson kind) {
    if (nesting_depth(text) > max_body_depth)
        return {nullptr, "nested deeper than " + std::to_string(max_body_depth) + " levels"};
    auto value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded()) return {nullptr, "not JSON"};
    auto problem = type_problem(value, kind);
    return {problem.empty() ? std::move(value) : nlohmann::json(nullptr), std::move(problem)};
}

}  // namespace

std::string stored_json_problem(std::string_view text, StoredJson kind) { return parse(text, kind).second; }

std::optional<nlohmann::json> read_stored_json(std::string_view text, StoredJson kind, const LogSink& log,
                                               std::string_view where) {
    auto [value, problem] = parse(text, kind);
    if (problem.empty()) return std::move(value);
    if (log) log(LogLevel::warn, "stored_json_unreadable", {{"where", std::string(where)}, {"problem", problem}});
    return std::nullopt;
}

std::vector<std::string> stored_strings(std::string_view text) {
    std::vector<std::string> out;
    if (auto parsed = read_stored_json(text, StoredJson::array_of_strings))
        for (const auto& item : *parsed) out.push_back(item.get<std::string>());
    return out;
}

}  // namespace api
