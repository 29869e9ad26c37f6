#pragma once
// Pages of the ordered lists that migration 5 keeps in list_blocks and list_counts: a page costs
// a walk over the list's blocks (about total / 1024 rows; on a reader connection, a binary search
// of the block starts it cached, storage/list_block_cache.hpp) and a seek into the table's index,
// never a count or a skip over the rows before it. The answers are those of ORDER BY ... LIMIT
// ... OFFSET over the same order.
#include <cstdint>
#include <functional>
#include <string>

#include "storage/statement_cache.hpp"

namespace storage {

// The list numbers the migration's triggers write (storage/migrations.cpp).
enum class OrderedList : int {
    zone_csrs_by_created = 1,
    zone_csrs_by_name = 2,
    account_csrs_by_created = 3,
    account_csrs_by_name = 4,
    hostnames_by_created = 5,
    hostnames_by_ssl_status = 6,
    certificates_by_priority = 7,
};

struct ListQuery {
    OrderedList list;
    std::string owner;  // zone or account id
    // SELECT ... FROM table WHERE <the owner, parameters 1..owner_parameters> AND (<key columns>)
    // >= (<key_columns parameters>) ORDER BY <key columns> LIMIT ? OFFSET ?, parameters in that order.
    std::string page_sql;
    int owner_parameters = 1;
    int key_columns = 2;
    std::function<void(Statement&)> bind_owner;
    // Where the page's result rows repeat the key columns (consecutive, in key order), so a
    // reader connection can start later pages at them (storage/list_block_cache.hpp); -1: not.
    int key_result_column = -1;
};

// Calls on_row for rows [offset, offset + limit) of the list, in ascending key order even when
// `descending` (the caller reverses them); returns the list's total. The caller holds the lock.
std::int64_t read_ordered_page(StatementCache& statements, const ListQuery& query, std::int64_t offset,
                               std::int64_t limit, bool descending, const std::function<void(const Statement&)>& on_row);

}  // namespace storage
