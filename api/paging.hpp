#pragma once
// page / per_page as Cloudflare's list endpoints take them.
#include <cstdint>

#include "api/errors.hpp"
#include "api/query.hpp"

namespace api {

struct Paging {
    std::int64_t page = 1;
    std::int64_t per_page = 20;
};

// Out-of-range numbers are clamped (page >= 1, per_page into [5, 50]), as a client paging with
// its own size expects a page rather than an error; text that is not a whole number is
// ApiError(invalid). README lists this under "Differences from Cloudflare".
Paging read_paging(const Query& query, std::int64_t default_per_page, const ErrorSpec& invalid);

}  // namespace api
