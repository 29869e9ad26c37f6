#pragma once
// The whole customer state at once, for the control plane's reset, snapshot and seed. It reads
// the schema itself (tables, columns, foreign keys), so tables added by later migrations are
// covered without changes here. The test CA (table test_ca) is not customer state: it survives
// resets unless asked and is never part of a snapshot.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace storage {

class Database;

// NULL, INTEGER or TEXT: every column of the STRICT schema is one of these.
using Value = std::variant<std::monostate, std::int64_t, std::string>;

struct Column {
    std::string name;
    bool is_integer = false;   // else TEXT
    bool not_null = false;
    int primary_key = 0;       // position in the primary key, 0 if not part of it
};

struct ForeignKey {
    std::string column;        // in this table
    std::string parent_table;
    std::string parent_column;
};

struct TableSchema {
    std::string name;
    std::vector<Column> columns;
    std::vector<ForeignKey> foreign_keys;
};

struct TableRows {
    std::string table;
    std::vector<std::string> columns;          // a subset of the table's, in any order
    std::vector<std::vector<Value>> rows;      // one value per column

    bool operator==(const TableRows&) const = default;
};

struct StateSnapshot {
    std::vector<TableSchema> schema;
    std::vector<TableRows> rows;
    int schema_version = 0;
};

class StateRepository {
public:
    explicit StateRepository(Database& db) : db_(db) {}

    // Customer tables, each after the tables it references (so parents insert first).
    std::vector<TableSchema> schema();
    int schema_version();

    // Every row of every customer table, all columns, in primary-key order.
    std::vector<TableRows> export_state();
    // Schema, rows and version read under one lock, so they describe one moment.
    StateSnapshot snapshot();
    // Throws storage::Error when the database does not answer a trivial query (readiness).
    void ping();
    // Replaces all customer state with `tables` in one transaction: on any failure (a CHECK,
    // UNIQUE or foreign key the caller did not catch) nothing changes and storage::Error is thrown.
    // Unknown tables or columns throw before anything is written.
    void import_state(const std::vector<TableRows>& tables);

    // Rows deleted. Children go before parents so ON DELETE RESTRICT holds.
    std::int64_t reset_all(bool keep_ca);
    // Every row with this zone_id, the zone's CSRs, and whatever still uses those CSRs.
    std::int64_t reset_zone(const std::string& zone_id);
    // The account's CSRs and whatever (in any zone) still uses them.
    std::int64_t reset_account(const std::string& account_id);

    // Rows per customer table (for metrics; a full count, so not for request paths).
    std::map<std::string, std::int64_t> row_counts();

private:
    std::vector<TableRows> export_unlocked(const std::vector<TableSchema>& tables);
    std::int64_t reset_scope(const char* scope, const std::string& scope_id, bool zone_rows);
    Database& db_;
};

}  // namespace storage
