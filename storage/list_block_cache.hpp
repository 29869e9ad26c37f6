#pragma once
// Where each block of an ordered list starts (storage/ordered_list.hpp), as one reader connection
// last read them, so a page finds its block by a binary search instead of walking the blocks
// (about a thousand at a million rows, a few tenths of a millisecond), and pages it served leave
// the keys of their first and last rows as further starting points. A list's entry is used
// only while SQLite's data version of the connection is the one it was read at: that version
// moves whenever another connection commits, and a reader connection never writes itself.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace storage {

struct ListBlockCache {
    // A key column's value: list keys are INTEGER (priority_key) or TEXT.
    struct KeyValue {
        bool is_integer = false;
        std::int64_t integer = 0;
        std::string text;
    };
    using Key = std::array<KeyValue, 3>;
    struct Block {
        Key key;
        std::int64_t rows_before = 0;  // rows of the list before this block's first
    };
    struct List {
        std::uint32_t data_version = 0;
        std::int64_t total = 0;
        std::vector<Block> blocks;  // in list order
        // The keys of the first and last rows of pages served from this version (row position
        // -> key): the next page of a sequential walk, or the same page again, starts at or
        // right after one, instead of up to two blocks' rows into its block.
        std::map<std::int64_t, Key> anchors;
    };
    // Per list; then they are learned afresh (a walk loses one page's start).
    static constexpr std::size_t max_anchors = 1024;
    // Lists kept at once per connection; the next one past this empties the cache. A reader pages
    // through a few lists at a time; an entry is ~100 kB of block starts at a million rows plus
    // ~100 kB of anchors at most, so four reader connections hold about 13 MB at worst.
    static constexpr std::size_t max_lists = 16;
    std::map<std::pair<std::int64_t, std::string>, List> lists;  // (list number, owner)
};

}  // namespace storage
