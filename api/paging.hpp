#pragma once
// page / per_page / direction as Cloudflare's list endpoints take them, and the result_info a
// page of results reports.
#include <cstddef>
#include <cstdint>

#include "api/errors.hpp"
#include "api/query.hpp"

namespace api {

struct Paging {
    std::int64_t page = 1;
    std::int64_t per_page = 20;
};

struct ResultInfo {
    std::int64_t page = 1;
    std::int64_t per_page = 20;
    std::int64_t count = 0;        // items on this page
    std::int64_t total_count = 0;  // items on all pages
};

// result_info for a page of `count` items out of `total`.
inline ResultInfo page_info(const Paging& paging, std::size_t count, std::int64_t total) {
    return ResultInfo{paging.page, paging.per_page, static_cast<std::int64_t>(count), total};
}

// Out-of-range numbers are clamped (page >= 1, per_page into [5, 50]), as a client paging with
// its own size expects a page rather than an error; text that is not a whole number is
// ApiError(invalid). README lists this under "Differences from Cloudflare".
Paging read_paging(const Query& query, std::int64_t default_per_page, const ErrorSpec& invalid);

// "direction": asc (the default) or desc; true for desc. Anything else is ApiError(invalid).
bool read_descending(const Query& query, const ErrorSpec& invalid);

}  // namespace api
