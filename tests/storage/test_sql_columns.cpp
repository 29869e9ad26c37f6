#include <doctest/doctest.h>

#include "storage/sql_columns.hpp"

namespace sql = storage::sql;

namespace {

constexpr sql::Columns<3> row = {"id", "zone_id", "name"};
constexpr auto wider = sql::concat(row, sql::Columns<2>{"a", "b"});

// Evaluated by the compiler: a wrong name would not build.
static_assert(sql::index_of(wider, "id") == 0);
static_assert(sql::index_of(wider, "b") == 4);
static_assert(sql::parameter_of(wider, "name") == 3);

}  // namespace

TEST_CASE("SQL is rendered from one list of columns") {
    CHECK(sql::list(row) == "id, zone_id, name");
    CHECK(sql::placeholders(row) == "?1, ?2, ?3");
    CHECK(sql::assignments(wider, 2) == "name = ?3, a = ?4, b = ?5");
    CHECK(sql::select("t", row) == "SELECT id, zone_id, name FROM t");
    CHECK(sql::insert("t", row) == "INSERT INTO t (id, zone_id, name) VALUES (?1, ?2, ?3)");
    CHECK(sql::placeholders(1, 0).empty());
}
