#pragma once
// The latest schema in one text, for a new database (storage/fresh_schema.cpp says how it is made
// and kept true).
#include <string_view>

namespace storage {

// The migration number the text is the result of; used only when it is the latest.
int fresh_schema_version() noexcept;
std::string_view fresh_schema_sql() noexcept;

}  // namespace storage
