#include "storage/ordered_list.hpp"

#include <algorithm>

#include "storage/database.hpp"
#include "storage/list_block_cache.hpp"

namespace storage {
namespace {

constexpr const char* blocks_in_order =
    "SELECT k1, k2, k3, n FROM list_blocks WHERE list = ? AND owner = ? ORDER BY k1, k2, k3";
constexpr const char* blocks_in_reverse =
    "SELECT k1, k2, k3, n FROM list_blocks WHERE list = ? AND owner = ? ORDER BY k1 DESC, k2 DESC, k3 DESC";

[[noreturn]] void disagreement(std::int64_t list) {
    throw Error("list_blocks disagree with list_counts for list " + std::to_string(list), 0);
}

// The block holding row `first`, found by walking the blocks from the nearer end: its key is
// bound as the page's parameters from `parameter` on; returns the rows before it.
std::int64_t walk_to_block(StatementCache& statements, const ListQuery& q, std::int64_t total, std::int64_t first,
                           Statement& page, int parameter) {
    const auto list = static_cast<std::int64_t>(q.list);
    const bool from_end = first > total / 2;
    auto blocks = statements.use(from_end ? blocks_in_reverse : blocks_in_order);
    blocks->bind(1, list).bind(2, q.owner);
    std::int64_t before = from_end ? total : 0;
    while (blocks->step()) {
        std::int64_t n = blocks->integer(3);
        if (from_end) before -= n;
        if (from_end ? before <= first : before + n > first) {
            for (int k = 0; k < q.key_columns; ++k) page.bind_column(parameter + k, *blocks, k);
            return before;
        }
        if (!from_end) before += n;
    }
    disagreement(list);
}

ListBlockCache::KeyValue key_value(const Statement& row, int column) {
    ListBlockCache::KeyValue value;
    value.is_integer = row.is_integer(column);
    if (value.is_integer) value.integer = row.integer(column);
    else value.text = row.text(column);
    return value;
}

// The list's blocks as this reader connection's cache has them, read again when another
// connection has committed since (or the entry is missing).
ListBlockCache::List& cached_blocks(StatementCache& statements, Database& connection, ListBlockCache& cache,
                                    const ListQuery& q, std::int64_t total) {
    const auto list = static_cast<std::int64_t>(q.list);
    const std::uint32_t version = connection.data_version();
    const auto key = std::pair(list, q.owner);
    if (auto it = cache.lists.find(key);
        it != cache.lists.end() && it->second.data_version == version && it->second.total == total)
        return it->second;
    if (cache.lists.size() >= ListBlockCache::max_lists && cache.lists.count(key) == 0) cache.lists.clear();
    ListBlockCache::List fresh{version, total, {}, {}};
    auto blocks = statements.use(blocks_in_order);
    blocks->bind(1, list).bind(2, q.owner);
    std::int64_t before = 0;
    while (blocks->step()) {
        ListBlockCache::Block block;
        for (int k = 0; k < 3; ++k) block.key[static_cast<std::size_t>(k)] = key_value(*blocks, k);
        block.rows_before = before;
        before += blocks->integer(3);
        fresh.blocks.push_back(std::move(block));
    }
    if (before != total) disagreement(list);
    return cache.lists[key] = std::move(fresh);
}

// The nearest known row at or before `first`: the start of its block (binary search over the
// cached block starts) or a row a page served, whichever is later. Its key is bound as the
// page's parameters from `parameter` on; returns its position. As walk_to_block.
std::int64_t find_cached_start(const ListBlockCache::List& list, const ListQuery& q, std::int64_t first,
                               Statement& page, int parameter) {
    // The last block starting at or before `first` (the first block starts at row 0).
    auto after = std::upper_bound(list.blocks.begin(), list.blocks.end(), first,
                                  [](std::int64_t row, const ListBlockCache::Block& b) { return row < b.rows_before; });
    const ListBlockCache::Key* key = &std::prev(after)->key;
    std::int64_t position = std::prev(after)->rows_before;
    if (auto anchor = list.anchors.upper_bound(first); anchor != list.anchors.begin()) {
        --anchor;
        if (anchor->first > position) {
            position = anchor->first;
            key = &anchor->second;
        }
    }
    for (int k = 0; k < q.key_columns; ++k) {
        const auto& value = (*key)[static_cast<std::size_t>(k)];
        if (value.is_integer) page.bind(parameter + k, value.integer);
        else page.bind(parameter + k, value.text);
    }
    return position;
}

ListBlockCache::Key key_of_row(const Statement& row, const ListQuery& q) {
    ListBlockCache::Key key;
    for (int k = 0; k < q.key_columns; ++k) key[static_cast<std::size_t>(k)] = key_value(row, q.key_result_column + k);
    return key;
}

}  // namespace

std::int64_t read_ordered_page(StatementCache& statements, const ListQuery& q, std::int64_t offset,
                               std::int64_t limit, bool descending, const std::function<void(const Statement&)>& on_row) {
    const auto list = static_cast<std::int64_t>(q.list);
    std::int64_t total = 0;
    {
        auto count = statements.use("SELECT n FROM list_counts WHERE list = ? AND owner = ?");
        count->bind(1, list).bind(2, q.owner);
        if (count->step()) total = count->integer(0);
    }
    if (offset < 0 || limit <= 0 || offset >= total) return total;
    // The ascending rows [first, first + count).
    std::int64_t first = offset, count = std::min(limit, total - offset);
    if (descending) {
        std::int64_t end = total - offset;
        first = std::max<std::int64_t>(0, end - limit);
        count = end - first;
    }
    auto page = statements.use(q.page_sql);
    q.bind_owner(*page);
    const int key_parameter = q.owner_parameters + 1;
    // The count above began this read transaction's snapshot, so the data version now names it.
    ListBlockCache* cache = page->database().list_block_cache();
    ListBlockCache::List* cached = cache ? &cached_blocks(statements, page->database(), *cache, q, total) : nullptr;
    const std::int64_t before = cached ? find_cached_start(*cached, q, first, *page, key_parameter)
                                       : walk_to_block(statements, q, total, first, *page, key_parameter);
    const int p = key_parameter + q.key_columns;
    page->bind(p, count).bind(p + 1, first - before);
    const bool learn = cached && q.key_result_column >= 0;
    if (learn && cached->anchors.size() + 2 > ListBlockCache::max_anchors) cached->anchors.clear();
    for (std::int64_t row = first; page->step(); ++row) {
        if (learn && (row == first || row == first + count - 1)) cached->anchors.emplace(row, key_of_row(*page, q));
        on_row(*page);
    }
    return total;
}

}  // namespace storage
