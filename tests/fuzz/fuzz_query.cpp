// Query strings: api::Query's decoding and the paging / direction readers every list route uses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/errors.hpp"
#include "api/errors_catalogue.hpp"
#include "api/paging.hpp"
#include "api/query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    api::Query query(raw);
    for (const char* key : {"page", "per_page", "direction", "order", "hostname", "hostname.contain", "id", "ssl",
                            "status", "match", "include_private_keys"})
        (void)query.get(key);
    (void)api::percent_decode(raw);
    const auto& invalid = api::csr_errors::body_undecodable;
    try {
        auto paging = api::read_paging(query, 20, invalid);
        // The readers promise clamped values; list routes multiply them into an OFFSET.
        if (paging.page < 1 || paging.per_page < 5 || paging.per_page > 50) __builtin_trap();
        (void)api::page_info(paging, 3, 100);
    } catch (const api::ApiError&) {
    }
    try {
        (void)api::read_descending(query, invalid);
    } catch (const api::ApiError&) {
    }
    return 0;
}
