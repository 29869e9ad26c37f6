#include "api/json_body.hpp"

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

nlohmann::json parse_object_body(const Request& request, const ErrorSpec& undecodable) {
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

std::optional<nlohmann::json> object_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& spec) {
    const auto* value = present(object, key);
    if (!value) return std::nullopt;
    if (!value->is_object()) wrong_type(spec, key, "an object");
    return *value;
}

}  // namespace api
