#include "storage/state_repository.hpp"

#include "storage/hostname_history.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "storage/database.hpp"
#include "storage/key_cipher.hpp"

namespace storage {
namespace {

constexpr std::string_view ca_table = "test_ca";
// The Origin CA's roots are the emulator's, like the test CA: kept by a reset unless asked.
constexpr std::string_view origin_roots_table = "origin_ca_roots";
// The emulator's own settings (the key check value) are not customer state either.
constexpr std::string_view settings_table = "emulator_settings";

// The ordered lists' bookkeeping (migration 5, storage/ordered_list.hpp) is derived from the
// customer rows by triggers: never exported, imported or reset by hand.
bool is_list_bookkeeping(std::string_view name) {
    return name == "list_blocks" || name == "list_counts" || name == "list_block_size";
}

// The hostnames' status history (migration 15) is a log of their changes, not state a document
// sets: it goes with its hostname (ON DELETE CASCADE), and a seed starts each hostname's history
// at the statuses it loads.
constexpr std::string_view history_table = "custom_hostname_history";

// A CSR's stored JSON (migration 9) is a copy of its other columns as the API shows them: not
// state of its own. A snapshot leaves it out (so an edited document cannot show stale JSON), a
// document naming it is refused, and CSRs a seed loads are shown from their columns.
bool is_derived_column(std::string_view table, std::string_view column) {
    return table == "custom_csrs" && column == "shown_json";
}

// Identifiers come from the schema, never from a request; quoting keeps odd names harmless.
std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// For each column of `columns` that holds a private key (storage/key_cipher.hpp), the position of
// the column naming its row; -1 elsewhere. Snapshots carry keys as PEM (so a snapshot seeds a
// database with another key-encryption key, or none), the table holds them sealed.
std::vector<int> key_column_rows(const std::string& table, const std::vector<std::string>& columns) {
    std::vector<int> rows(columns.size(), -1);
    for (const auto& k : key_columns) {
        if (k.table != table) continue;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (columns[i] != k.column) continue;
            for (std::size_t j = 0; j < columns.size(); ++j)
                if (columns[j] == k.row_id_column) rows[i] = static_cast<int>(j);
        }
    }
    return rows;
}

std::vector<std::string> table_names(Database& db) {
    Statement list(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    std::vector<std::string> names;
    while (list.step())
        if (auto name = list.text(0);
            name != ca_table && name != origin_roots_table && name != settings_table && name != history_table && !is_list_bookkeeping(name))
            names.push_back(name);
    return names;
}

TableSchema read_table(Database& db, const std::string& name) {
    TableSchema table{name, {}, {}};
    Statement columns(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid");
    columns.bind(1, name);
    while (columns.step())
        if (auto column = columns.text(0); !is_derived_column(name, column))
            table.columns.push_back(Column{std::move(column), columns.text(1) == "INTEGER", columns.integer(2) != 0,
                                           static_cast<int>(columns.integer(3))});
    Statement keys(db, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1)");
    keys.bind(1, name);
    while (keys.step()) table.foreign_keys.push_back(ForeignKey{keys.text(0), keys.text(1), keys.text(2)});
    return table;
}

const TableSchema& table_named(const std::vector<TableSchema>& schema, const std::string& name) {
    auto it = std::find_if(schema.begin(), schema.end(), [&](const TableSchema& t) { return t.name == name; });
    if (it == schema.end()) throw Error("no customer table named '" + name + "'", 0);
    return *it;
}

bool has_column(const TableSchema& table, std::string_view column) {
    return std::any_of(table.columns.begin(), table.columns.end(), [&](const Column& c) { return c.name == column; });
}

}  // namespace

// Callers hold the database lock.
static std::vector<TableSchema> ordered_schema(Database& db) {
    std::vector<TableSchema> unordered;
    for (const auto& name : table_names(db)) unordered.push_back(read_table(db, name));
    // Depth-first: a table after every table it references (the schema has no cycles).
    std::vector<TableSchema> ordered;
    std::set<std::string> placed;
    std::function<void(const TableSchema&)> place = [&](const TableSchema& table) {
        if (!placed.insert(table.name).second) return;
        for (const auto& key : table.foreign_keys)
            for (const auto& other : unordered)
                if (other.name == key.parent_table) place(other);
        ordered.push_back(table);
    };
    for (const auto& table : unordered) place(table);
    return ordered;
}

std::vector<TableSchema> StateRepository::schema() {
    auto lock = db_.lock();
    return ordered_schema(db_);
}

int StateRepository::schema_version() { return db_.user_version(); }

std::vector<TableRows> StateRepository::export_state() {
    auto lock = db_.lock();
    return export_unlocked(ordered_schema(db_));
}

StateSnapshot StateRepository::snapshot() {
    auto lock = db_.lock();  // schema and rows from one moment
    auto tables = ordered_schema(db_);
    auto rows = export_unlocked(tables);
    return {std::move(tables), std::move(rows), db_.user_version()};
}

void StateRepository::ping() {
    auto lock = db_.lock();
    Statement probe(db_, "SELECT 1");
    probe.step();
}

std::vector<TableRows> StateRepository::export_unlocked(const std::vector<TableSchema>& tables) {
    std::vector<TableRows> out;
    for (const auto& table : tables) {
        TableRows rows{table.name, {}, {}};
        std::string select, order;
        std::vector<const Column*> key;
        for (const auto& column : table.columns) {
            rows.columns.push_back(column.name);
            select += (select.empty() ? "" : ", ") + quoted(column.name);
            if (column.primary_key) key.push_back(&column);
        }
        std::sort(key.begin(), key.end(), [](auto* a, auto* b) { return a->primary_key < b->primary_key; });
        for (const auto* column : key) order += (order.empty() ? "" : ", ") + quoted(column->name);
        Statement query(db_, "SELECT " + select + " FROM " + quoted(table.name) +
                                 (order.empty() ? std::string() : " ORDER BY " + order));
        auto key_rows = key_column_rows(table.name, rows.columns);
        while (query.step()) {
            std::vector<Value> row;
            for (std::size_t i = 0; i < table.columns.size(); ++i) {
                int index = static_cast<int>(i);
                if (query.is_null(index)) row.emplace_back(std::monostate{});
                else if (table.columns[i].is_integer) row.emplace_back(query.integer(index));
                else if (key_rows[i] >= 0)
                    row.emplace_back(db_.open_key(query.text(index), table.name, table.columns[i].name,
                                                  query.text(key_rows[i])));
                else row.emplace_back(query.text(index));
            }
            rows.rows.push_back(std::move(row));
        }
        out.push_back(std::move(rows));
    }
    return out;
}

void StateRepository::import_state(const std::vector<TableRows>& tables) {
    auto lock = db_.lock();
    auto ordered = ordered_schema(db_);
    for (const auto& rows : tables) {
        const auto& table = table_named(ordered, rows.table);
        for (const auto& column : rows.columns)
            if (!has_column(table, column)) throw Error("table '" + rows.table + "' has no column '" + column + "'", 0);
        for (const auto& row : rows.rows)
            if (row.size() != rows.columns.size()) throw Error("a row of '" + rows.table + "' has the wrong width", 0);
    }
    Transaction tx(db_);
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) db_.exec("DELETE FROM " + quoted(it->name));
    for (const auto& table : ordered) {
        for (const auto& rows : tables) {
            if (rows.table != table.name || rows.rows.empty()) continue;
            std::string names, marks;
            for (std::size_t i = 0; i < rows.columns.size(); ++i) {
                names += (i ? ", " : "") + quoted(rows.columns[i]);
                marks += (i ? ", ?" : "?") + std::to_string(i + 1);
            }
            Statement insert(db_, "INSERT INTO " + quoted(table.name) + " (" + names + ") VALUES (" + marks + ")");
            auto key_rows = key_column_rows(table.name, rows.columns);
            for (const auto& row : rows.rows) {
                for (std::size_t i = 0; i < row.size(); ++i) {
                    int index = static_cast<int>(i + 1);
                    const std::string* row_id =
                        key_rows[i] >= 0 ? std::get_if<std::string>(&row[static_cast<std::size_t>(key_rows[i])]) : nullptr;
                    if (auto* n = std::get_if<std::int64_t>(&row[i])) insert.bind(index, *n);
                    else if (auto* s = std::get_if<std::string>(&row[i]); s && row_id)
                        insert.bind(index, db_.seal_key(*s, table.name, rows.columns[i], *row_id));
                    else if (s) insert.bind(index, std::string_view(*s));
                    else insert.bind_null(index);
                }
                insert.run();
                insert.reset();
            }
        }
    }
    record_current_statuses(db_);
    tx.commit();
}

std::int64_t StateRepository::reset_all(bool keep_ca) {
    auto lock = db_.lock();
    auto ordered = ordered_schema(db_);
    Transaction tx(db_);
    std::int64_t deleted = 0;
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
        db_.exec("DELETE FROM " + quoted(it->name));
        deleted += db_.changes();
    }
    if (!keep_ca) {
        db_.exec("DELETE FROM " + quoted(std::string(ca_table)));
        deleted += db_.changes();
        db_.exec("DELETE FROM " + quoted(std::string(origin_roots_table)));
        deleted += db_.changes();
    }
    tx.commit();
    return deleted;
}

std::int64_t StateRepository::reset_scope(const char* scope, const std::string& scope_id, bool zone_rows) {
    auto lock = db_.lock();
    auto ordered = ordered_schema(db_);
    Transaction tx(db_);
    std::int64_t deleted = 0;
    // ?1 is the scope ("zone" | "account"), ?2 its id; a statement binds only what it uses.
    auto run = [&](const std::string& sql, bool uses_scope) {
        Statement statement(db_, sql);
        if (uses_scope) statement.bind(1, scope);
        statement.bind(uses_scope ? 2 : 1, scope_id);
        statement.run();
        deleted += db_.changes();
    };
    // Children first: rows of the zone, then rows anywhere that use the scope's CSRs, then the CSRs.
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
        if (it->name == "custom_csrs") {
            run("DELETE FROM custom_csrs WHERE scope = ?1 AND scope_id = ?2", true);
            continue;
        }
        if (zone_rows && has_column(*it, "zone_id"))
            run("DELETE FROM " + quoted(it->name) + " WHERE zone_id = ?1", false);
        for (const auto& key : it->foreign_keys)
            if (key.parent_table == "custom_csrs")
                run("DELETE FROM " + quoted(it->name) + " WHERE " + quoted(key.column) + " IN (SELECT " +
                    quoted(key.parent_column) + " FROM custom_csrs WHERE scope = ?1 AND scope_id = ?2)",
                    true);
    }
    tx.commit();
    return deleted;
}

std::int64_t StateRepository::reset_zone(const std::string& zone_id) { return reset_scope("zone", zone_id, true); }

std::int64_t StateRepository::reset_account(const std::string& account_id) {
    return reset_scope("account", account_id, false);
}

std::map<std::string, std::int64_t> StateRepository::row_counts() {
    auto lock = db_.lock();
    std::map<std::string, std::int64_t> counts;
    for (const auto& name : table_names(db_)) {
        Statement count(db_, "SELECT COUNT(*) FROM " + quoted(name));
        count.step();
        counts[name] = count.integer(0);
    }
    return counts;
}

}  // namespace storage
