#include "storage/ordered_list_migration.hpp"

#include <string>
#include <vector>

namespace storage {
namespace {

// Migration 5: ordered lists that find a page without counting or skipping rows. Each list
// (one zone's or account's rows in one order) is cut into blocks of consecutive rows; a block is
// its first key and how many rows it holds (list_blocks), and list_counts holds each list's
// total. A page walks the blocks (about a thousand at a million rows) to the one holding its
// first row, seeks the table's index to that block's first key and skips fewer than two blocks'
// rows. Triggers keep blocks and counts in the writes' own transaction, whatever code writes the
// rows. A block that reaches twice the block size is split at its block-size-th row; an empty
// block is dropped. Keys are three values (two-column keys pad with ''). Generated columns give
// every order an ascending index: coalesce(name, ''), coalesce(ssl_status, '') and -priority.
struct ListSpec {
    const char* name;         // trigger name prefix
    const char* table;
    const char* list;         // the list number, of row R
    const char* owner;        // the owner, of row R
    const char* owner_match;  // row x is in the same list as row R
    std::vector<std::string> keys;  // the order: index columns after the owner, ascending
    const char* watched;      // the columns whose update can move a row
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::string key_of(const ListSpec& l, const std::string& row, bool pad) {
    std::string out;
    for (std::size_t i = 0; i < l.keys.size(); ++i) out += (i ? ", " : "") + row + "." + l.keys[i];
    if (pad)
        for (std::size_t i = l.keys.size(); i < 3; ++i) out += ", ''";
    return out;
}

// Expands the placeholders of `text` for row `row` (NEW, OLD or x).
std::string expand(const ListSpec& l, const std::string& text, const std::string& row) {
    std::string out = replace_all(text, "{CONTAINING}",
                                  "SELECT k1, k2, k3 FROM list_blocks WHERE list = {L} AND owner = {O} "
                                  "AND (k1, k2, k3) <= ({K}) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1");
    for (std::size_t i = 0; i < 3; ++i)
        out = replace_all(out, "{K" + std::to_string(i + 1) + "}", i < l.keys.size() ? row + "." + l.keys[i] : "''");
    out = replace_all(out, "{L}", replace_all(l.list, "R.", row + "."));
    out = replace_all(out, "{O}", replace_all(l.owner, "R.", row + "."));
    out = replace_all(out, "{OWNX}", replace_all(l.owner_match, "R.", row + "."));
    out = replace_all(out, "{K}", key_of(l, row, true));
    out = replace_all(out, "{XK}", key_of(l, "x", true));
    out = replace_all(out, "{XCOLS}", key_of(l, "x", false));
    out = replace_all(out, "{BK}", l.keys.size() == 2 ? "k1, k2" : "k1, k2, k3");
    out = replace_all(out, "{T}", l.table);
    out = replace_all(out, "{B}", "(SELECT rows FROM list_block_size)");
    return out;
}

// Row R joins its list: counted; a key before the first block moves that block's start; a
// first row makes a block; its block grows, and splits at twice the block size (marked by a
// negative n while the second half is inserted, then set to the block size).
constexpr std::string_view add_row = R"sql(
    INSERT INTO list_counts (list, owner, n) VALUES ({L}, {O}, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = {K1}, k2 = {K2}, k3 = {K3}
        WHERE list = {L} AND owner = {O} AND (k1, k2, k3) > ({K})
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = {L} AND owner = {O}
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT {L}, {O}, {K}, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = {L} AND owner = {O});
    UPDATE list_blocks SET n = n + 1 WHERE list = {L} AND owner = {O} AND (k1, k2, k3) = ({CONTAINING});
    UPDATE list_blocks SET n = -n
        WHERE list = {L} AND owner = {O} AND (k1, k2, k3) = ({CONTAINING}) AND n >= 2 * {B};
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT {L}, {O}, {XK},
               (SELECT -n FROM list_blocks WHERE list = {L} AND owner = {O} AND (k1, k2, k3) = ({CONTAINING})) - {B}
        FROM {T} AS x
        WHERE {OWNX} AND ({XCOLS}) >= (SELECT {BK} FROM list_blocks WHERE list = {L} AND owner = {O}
                                         AND (k1, k2, k3) = ({CONTAINING}) AND n < 0)
        ORDER BY {XCOLS} LIMIT 1 OFFSET {B};
    UPDATE list_blocks SET n = {B}
        WHERE list = {L} AND owner = {O} AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = {L} AND owner = {O}
                               AND (k1, k2, k3) <= ({K}) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
)sql";

// Row R leaves its list.
constexpr std::string_view remove_row = R"sql(
    UPDATE list_counts SET n = n - 1 WHERE list = {L} AND owner = {O};
    DELETE FROM list_counts WHERE list = {L} AND owner = {O} AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = {L} AND owner = {O} AND (k1, k2, k3) = ({CONTAINING});
    DELETE FROM list_blocks WHERE list = {L} AND owner = {O} AND n = 0 AND (k1, k2, k3) = ({CONTAINING});
)sql";

std::string list_sql(const ListSpec& l, ListPart which) {
    std::string changed;
    for (const std::string& part : {std::string(l.list), std::string(l.owner)})
        changed += (changed.empty() ? "" : " OR ") + ("NOT (" + replace_all(part, "R.", "OLD.") + " IS " +
                                                    replace_all(part, "R.", "NEW.") + ")");
    for (const auto& k : l.keys) changed += " OR NOT (OLD." + k + " IS NEW." + k + ")";
    std::string name = l.name, table = l.table;
    // The blocks and counts of the rows already there.
    std::string fill = R"sql(
INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
SELECT l, o, a, b, c, min({B}, cnt - rn + 1) FROM (
    SELECT {L} AS l, {O} AS o, {XA},
           row_number() OVER (PARTITION BY {L}, {O} ORDER BY {XCOLS}) AS rn,
           count(*) OVER (PARTITION BY {L}, {O}) AS cnt
    FROM {T} AS x)
WHERE (rn - 1) % {B} = 0;
INSERT INTO list_counts (list, owner, n)
SELECT {L}, {O}, count(*) FROM {T} AS x GROUP BY 1, 2;
)sql";
    std::string xa;
    const char* names[] = {" AS a", " AS b", " AS c"};
    for (std::size_t i = 0; i < 3; ++i)
        xa += std::string(i ? ", " : "") + (i < l.keys.size() ? "x." + l.keys[i] : "''") + names[i];
    fill = replace_all(fill, "{XA}", xa);
    std::string out = which == ListPart::triggers ? std::string() : expand(l, fill, "x");
    if (which == ListPart::tables) return out;
    out += "CREATE TRIGGER " + name + "_insert AFTER INSERT ON " + table + " BEGIN" +
           expand(l, std::string(add_row), "NEW") + "END;\n";
    out += "CREATE TRIGGER " + name + "_delete AFTER DELETE ON " + table + " BEGIN" +
           expand(l, std::string(remove_row), "OLD") + "END;\n";
    out += "CREATE TRIGGER " + name + "_update AFTER UPDATE OF " + l.watched + " ON " + table + " WHEN " + changed +
           " BEGIN" + expand(l, std::string(remove_row), "OLD") + expand(l, std::string(add_row), "NEW") + "END;\n";
    return out;
}

}  // namespace

std::string ordered_lists_migration(ListPart which) {
    std::string out = which == ListPart::triggers ? "" : R"sql(
CREATE TABLE list_block_size (rows INTEGER NOT NULL CHECK (rows > 0)) STRICT;
INSERT INTO list_block_size (rows) VALUES (1024);
CREATE TABLE list_counts (
    list  INTEGER NOT NULL,
    owner TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (list, owner)
) STRICT, WITHOUT ROWID;
CREATE TABLE list_blocks (
    list  INTEGER NOT NULL,
    owner TEXT NOT NULL,
    k1    ANY NOT NULL,
    k2    TEXT NOT NULL,
    k3    TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (list, owner, k1, k2, k3)
) STRICT, WITHOUT ROWID;
ALTER TABLE custom_csrs ADD COLUMN name_key TEXT GENERATED ALWAYS AS (coalesce(name, '')) VIRTUAL;
CREATE INDEX custom_csrs_by_name ON custom_csrs (scope, scope_id, name_key, created_at, id);
ALTER TABLE custom_hostnames ADD COLUMN ssl_status_key TEXT GENERATED ALWAYS AS (coalesce(ssl_status, '')) VIRTUAL;
CREATE INDEX custom_hostnames_by_ssl_status ON custom_hostnames (zone_id, ssl_status_key, created_at, id);
ALTER TABLE custom_certificates ADD COLUMN priority_key INTEGER GENERATED ALWAYS AS (-priority) VIRTUAL;
CREATE INDEX custom_certificates_by_priority ON custom_certificates (zone_id, priority_key, uploaded_on, id);
)sql";
    // List numbers: see storage/ordered_list.hpp.
    const char* csr_list_created = "CASE R.scope WHEN 'account' THEN 3 ELSE 1 END";
    const char* csr_list_name = "CASE R.scope WHEN 'account' THEN 4 ELSE 2 END";
    const char* csr_match = "x.scope = R.scope AND x.scope_id = R.scope_id";
    const char* zone_match = "x.zone_id = R.zone_id";
    const ListSpec lists[] = {
        {"custom_csrs_list_created", "custom_csrs", csr_list_created, "R.scope_id", csr_match, {"created_at", "id"},
         "scope, scope_id, created_at, id"},
        {"custom_csrs_list_name", "custom_csrs", csr_list_name, "R.scope_id", csr_match,
         {"name_key", "created_at", "id"}, "scope, scope_id, name, created_at, id"},
        {"custom_hostnames_list_created", "custom_hostnames", "5", "R.zone_id", zone_match, {"created_at", "id"},
         "zone_id, created_at, id"},
        {"custom_hostnames_list_ssl_status", "custom_hostnames", "6", "R.zone_id", zone_match,
         {"ssl_status_key", "created_at", "id"}, "zone_id, ssl_status, created_at, id"},
        {"custom_certificates_list_priority", "custom_certificates", "7", "R.zone_id", zone_match,
         {"priority_key", "uploaded_on", "id"}, "zone_id, priority, uploaded_on, id"},
    };
    for (const auto& l : lists) out += list_sql(l, which);
    return out;
}

}  // namespace storage
