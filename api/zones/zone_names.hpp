#pragma once
// Zone names as the API takes them, and which zone a hostname falls in.
#include <optional>
#include <string>
#include <string_view>

#include "storage/zone_repository.hpp"

namespace api {

struct Context;

// The schema's rule: at most 253 characters, labels of letters, digits and '-' (not first), and
// a last label of 2-20 such characters, at least two labels.
bool is_zone_name(std::string_view name) noexcept;

// The existing zone `hostname` (lower case, a leading "*." ignored) is the apex of or lies
// under; the longest such name wins. None when no zone covers it.
std::optional<storage::Zone> zone_covering(Context& context, std::string_view hostname);

}  // namespace api
