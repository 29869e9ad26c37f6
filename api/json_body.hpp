#pragma once
// Reading JSON request bodies: undecodable bodies and fields of the wrong type are the
// resource's "cannot decode" error (1400 for CSRs and custom hostnames).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/errors.hpp"
#include "api/http_types.hpp"

namespace api {

// No request body Cloudflare documents nests deeper than a few levels. A deeper one is refused
// before it is parsed: copying, comparing or dumping a JSON value recurses once per level, so a
// body nested 100,000 levels deep would overflow the stack.
inline constexpr std::size_t max_body_depth = 64;

// How deep arrays and objects nest in `text`, counted without parsing (and without recursion).
// Brackets inside strings do not count; the text need not be valid JSON. Anything that parses
// text a client sent (the journal's redaction, seeding) checks this against max_body_depth first.
std::size_t nesting_depth(std::string_view text);

// The body as a JSON object; anything else (including one nested deeper than max_body_depth)
// throws ApiError(undecodable).
nlohmann::json parse_object_body(const Request& request, const ErrorSpec& undecodable);

// Absent or null -> nullopt; present with another type -> ApiError(wrong_type) naming the field.
std::optional<std::string> string_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& wrong_type);
std::optional<std::vector<std::string>> string_array_field(const nlohmann::json& object, std::string_view key,
                                                           const ErrorSpec& wrong_type);
std::optional<bool> bool_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& wrong_type);
std::optional<std::int64_t> integer_field(const nlohmann::json& object, std::string_view key,
                                          const ErrorSpec& wrong_type);
// An object (e.g. "ssl", "geo_restrictions") inside `object`, or null when absent or null.
const nlohmann::json* object_field(const nlohmann::json& object, std::string_view key, const ErrorSpec& wrong_type);

}  // namespace api
