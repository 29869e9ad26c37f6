#pragma once
// Migration 5's SQL, generated: the tables of the ordered lists (storage/ordered_list.hpp), the
// fills of the rows already there, and the triggers that keep each list's blocks and counts in
// the writes' own transaction. Generated because the five lists differ only in their table, owner
// and key columns (storage/ordered_list_migration.cpp explains the block scheme).
#include <string>

namespace storage {

// Migration 5 in parts: its tables and fills, and its triggers (a new database makes the
// triggers last: storage/migrations.cpp, fresh_schema).
enum class ListPart { all, tables, triggers };

std::string ordered_lists_migration(ListPart which = ListPart::all);

}  // namespace storage
