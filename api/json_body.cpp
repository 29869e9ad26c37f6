#include "api/json_body.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace api {
namespace {

[[noreturn]] void wrong_type(const ErrorSpec& spec, std::string_view key, std::string_view expected) {
    throw ApiError(spec, std::string(spec.message) + " ('" + std::string(key) + "' must be " + std::string(expected) + ")");
}

const nlohmann::json* present(const nlohmann::json& object, std::string_view key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

}  // namespace

std::size_t nesting_depth(std::string_view text) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;  // the escaped character cannot end the string
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

nlohmann::json parse_object_body(const Request& request, const ErrorSpec& undecodable) {
    if (nesting_depth(request.body) > max_body_depth)
        throw ApiError(undecodable, std::string(undecodable.message) + " (nested deeper than " +
                                        std::to_string(max_body_depth) + " levels)");
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw ApiError(undecodable);
    return body;
}

std::optional<std::string> string_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& spec) {
    const auto* value = present(object, key);
    if (!value) return std::nullopt;
    if (!value->is_string()) wrong_type(spec, key, "a string");
    return value->get<std::string>();
}

std::optional<std::vector<std::string>> string_array_field(const nlohmann::json& object, std::string_view key,
                                                           const ErrorSpec& spec) {
    const auto* value = present(object, key);
    if (!value) return std::nullopt;
    if (!value->is_array()) wrong_type(spec, key, "an array of strings");
    std::vector<std::string> items;
    for (const auto& item : *value) {
        if (!item.is_string()) wrong_type(spec, key, "an array of strings");
        items.push_back(item.get<std::string>());
    }
    return items;
}

std::optional<bool> bool_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& spec) {
    const auto* value = present(object, key);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) wrong_type(spec, key, "true or false");
    return value->get<bool>();
}

std::optional<std::int64_t> integer_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& spec) {
    const auto* value = present(object, key);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) wrong_type(spec, key, "a whole number");
    return value->get<std::int64_t>();
}

const nlohmann::json* object_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& spec) {
    const auto* value = present(object, key);
    if (value && !value->is_object()) wrong_type(spec, key, "an object");
    return value;
}

}  // namespace api
