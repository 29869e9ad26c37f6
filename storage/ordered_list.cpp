#include "storage/ordered_list.hpp"

#include <algorithm>

#include "storage/database.hpp"

namespace storage {

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
    // The block holding row `first`, walked from the nearer end; `before` rows precede it.
    const bool from_end = first > total / 2;
    auto blocks = statements.use(from_end
                                     ? "SELECT k1, k2, k3, n FROM list_blocks WHERE list = ? AND owner = ? "
                                       "ORDER BY k1 DESC, k2 DESC, k3 DESC"
                                     : "SELECT k1, k2, k3, n FROM list_blocks WHERE list = ? AND owner = ? "
                                       "ORDER BY k1, k2, k3");
    blocks->bind(1, list).bind(2, q.owner);
    std::int64_t before = from_end ? total : 0;
    bool found = false;
    while (blocks->step()) {
        std::int64_t n = blocks->integer(3);
        if (from_end) {
            before -= n;
            if (before <= first) {
                found = true;
                break;
            }
        } else {
            if (before + n > first) {
                found = true;
                break;
            }
            before += n;
        }
    }
    if (!found) throw Error("list_blocks disagree with list_counts for list " + std::to_string(list), 0);
    auto page = statements.use(q.page_sql);
    q.bind_owner(*page);
    int p = q.owner_parameters + 1;
    for (int k = 0; k < q.key_columns; ++k) page->bind_column(p++, *blocks, k);
    page->bind(p, count).bind(p + 1, first - before);
    while (page->step()) on_row(*page);
    return total;
}

}  // namespace storage
