#pragma once
// The one integer a query returns (a count, a PRAGMA's value), read in a test.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "storage/database.hpp"

namespace test_support {

inline std::int64_t query_integer(storage::Database& db, const std::string& sql) {
    storage::Statement statement(db, sql);
    REQUIRE(statement.step());
    return statement.integer(0);
}

}  // namespace test_support
