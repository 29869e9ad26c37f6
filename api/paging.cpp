#include "api/paging.hpp"

#include <algorithm>
#include <charconv>

namespace api {
namespace {

std::int64_t whole_number(const Query& query, const char* key, std::int64_t fallback, const ErrorSpec& invalid) {
    auto text = query.get(key);
    if (!text || text->empty()) return fallback;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec == std::errc::result_out_of_range) return text->front() == '-' ? INT64_MIN : INT64_MAX;
    if (ec != std::errc() || end != text->data() + text->size())
        throw ApiError(invalid, "Invalid value for '" + std::string(key) + "': expected a whole number, got '" + *text + "'.");
    return value;
}

}  // namespace

Paging read_paging(const Query& query, std::int64_t default_per_page, const ErrorSpec& invalid) {
    Paging paging;
    // A page so large its offset would overflow is simply past the end.
    paging.page = std::clamp<std::int64_t>(whole_number(query, "page", 1, invalid), 1, 1'000'000'000);
    paging.per_page = std::clamp<std::int64_t>(whole_number(query, "per_page", default_per_page, invalid), 5, 50);
    return paging;
}

bool read_descending(const Query& query, const ErrorSpec& invalid) {
    auto direction = query.get("direction").value_or("asc");
    if (direction != "asc" && direction != "desc")
        throw ApiError(invalid, "Invalid value for 'direction': expected asc or desc.");
    return direction == "desc";
}

}  // namespace api
