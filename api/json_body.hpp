#pragma once
// Reading JSON request bodies: undecodable bodies and fields of the wrong type are the
// resource's "cannot decode" error (1400 for CSRs and custom hostnames).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/errors.hpp"
#include "api/http_types.hpp"

namespace api {

// The body as a JSON object; anything else throws ApiError(undecodable).
nlohmann::json parse_object_body(const Request& request, const ErrorSpec& undecodable);

// Absent or null -> nullopt; present with another type -> ApiError(wrong_type) naming the field.
std::optional<std::string> string_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& wrong_type);
std::optional<std::vector<std::string>> string_array_field(const nlohmann::json& object, std::string_view key,
                                                           const ErrorSpec& wrong_type);
std::optional<bool> bool_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& wrong_type);
std::optional<std::int64_t> integer_field(const nlohmann::json& object, std::string_view key,
                                          const ErrorSpec& wrong_type);
// An object (e.g. "ssl", "custom_metadata"), or nullopt.
std::optional<nlohmann::json> object_field(const nlohmann::json& object, std::string_view key,
                                           const ErrorSpec& wrong_type);

}  // namespace api
