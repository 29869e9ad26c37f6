#pragma once
// One page of a list and the count of the whole list, as every paged repository returns them.
#include <cstdint>
#include <vector>

namespace storage {

template <class Item>
struct Page {
    std::vector<Item> items;
    std::int64_t total_count = 0;
};

}  // namespace storage
