#include "storage/migrations.hpp"

#include <array>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/hostnames_in_motion.hpp"

namespace storage {
namespace {

// Never edit a migration that has shipped; add a new one.
constexpr std::array<std::string_view, 4> first_migrations = {
    // 1: custom CSRs with their private keys. SANs are rows of their own, kept in request order.
    R"sql(
CREATE TABLE custom_csrs (
    id                  TEXT PRIMARY KEY,
    scope               TEXT NOT NULL CHECK (scope IN ('zone', 'account')),
    scope_id            TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    key_type            TEXT NOT NULL CHECK (key_type IN ('rsa2048', 'p256v1')),
    country             TEXT NOT NULL,
    state               TEXT NOT NULL,
    locality            TEXT NOT NULL,
    organization        TEXT NOT NULL,
    organizational_unit TEXT,
    common_name         TEXT NOT NULL,
    name                TEXT,
    description         TEXT,
    csr_pem             TEXT NOT NULL,
    private_key_pem     TEXT NOT NULL
) STRICT;
CREATE INDEX custom_csrs_by_scope ON custom_csrs (scope, scope_id, created_at, id);
CREATE TABLE custom_csr_sans (
    csr_id   TEXT NOT NULL REFERENCES custom_csrs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    san      TEXT NOT NULL,
    PRIMARY KEY (csr_id, position)
) STRICT, WITHOUT ROWID;
)sql",
    // 2: custom hostnames and custom certificates. Either may hold a certificate issued for a
    // custom CSR; the CSR cannot be deleted while one does (ON DELETE RESTRICT), which makes the
    // in-use check and the delete a single atomic statement. The cert_* columns are read from
    // the uploaded leaf once, at upload.
    R"sql(
CREATE TABLE custom_hostnames (
    id                        TEXT PRIMARY KEY,
    zone_id                   TEXT NOT NULL,
    hostname                  TEXT NOT NULL,
    status                    TEXT NOT NULL,
    created_at                TEXT NOT NULL,
    custom_metadata           TEXT,
    custom_origin_server      TEXT,
    custom_origin_sni         TEXT,
    ownership_token           TEXT NOT NULL,
    ssl_id                    TEXT,
    ssl_status                TEXT,
    ssl_method                TEXT,
    ssl_type                  TEXT,
    ssl_bundle_method         TEXT,
    ssl_wildcard              INTEGER,
    ssl_certificate_authority TEXT,
    ssl_settings              TEXT,
    ssl_dcv_token             TEXT,
    ssl_uploaded_on           TEXT,
    custom_csr_id             TEXT REFERENCES custom_csrs (id) ON DELETE RESTRICT,
    cert_chain_pem            TEXT,
    cert_private_key_pem      TEXT,
    cert_issuer               TEXT,
    cert_serial_number        TEXT,
    cert_signature            TEXT,
    cert_not_before           TEXT,
    cert_not_after            TEXT,
    cert_hosts                TEXT,
    cert_fingerprint_sha256   TEXT,
    UNIQUE (zone_id, hostname)
) STRICT;
CREATE INDEX custom_hostnames_by_zone ON custom_hostnames (zone_id, created_at, id);
CREATE INDEX custom_hostnames_by_csr ON custom_hostnames (custom_csr_id);

CREATE TABLE custom_certificates (
    id                      TEXT PRIMARY KEY,
    zone_id                 TEXT NOT NULL,
    type                    TEXT NOT NULL,
    bundle_method           TEXT NOT NULL,
    geo_restrictions        TEXT,
    policy                  TEXT,
    deploy                  TEXT NOT NULL,
    priority                INTEGER NOT NULL,
    uploaded_on             TEXT NOT NULL,
    modified_on             TEXT NOT NULL,
    custom_csr_id           TEXT REFERENCES custom_csrs (id) ON DELETE RESTRICT,
    cert_chain_pem          TEXT NOT NULL,
    cert_private_key_pem    TEXT,
    cert_issuer             TEXT NOT NULL,
    cert_serial_number      TEXT NOT NULL,
    cert_signature          TEXT NOT NULL,
    cert_not_before         TEXT NOT NULL,
    cert_not_after          TEXT NOT NULL,
    cert_hosts              TEXT NOT NULL,
    cert_fingerprint_sha256 TEXT NOT NULL
) STRICT;
CREATE INDEX custom_certificates_by_zone ON custom_certificates (zone_id, uploaded_on, id);
CREATE INDEX custom_certificates_by_csr ON custom_certificates (custom_csr_id);
)sql",
    // 3: the emulator's test CA, made on first start and kept, so certificates it signed stay
    // trusted across restarts. One row per root; the newest is in use.
    R"sql(
CREATE TABLE test_ca (
    root_fingerprint_sha256      TEXT PRIMARY KEY,
    created_at                   TEXT NOT NULL,
    root_certificate_pem         TEXT NOT NULL,
    root_private_key_pem         TEXT,
    intermediate_certificate_pem TEXT NOT NULL,
    intermediate_private_key_pem TEXT NOT NULL
) STRICT;
)sql",
    // 4: the validation lifecycle. Each verification keeps when its status last changed, its
    // failed-check count and next check time (dns mode), so timers resume after a restart; the
    // errors are JSON arrays of strings. A DV hostname keeps the two certificates issued for it
    // (ECDSA primary, RSA fallback) with their keys. A zone's fallback origin is one row.
    R"sql(
ALTER TABLE custom_hostnames ADD COLUMN status_changed_at       TEXT;
ALTER TABLE custom_hostnames ADD COLUMN ownership_attempts      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE custom_hostnames ADD COLUMN ownership_next_check_at TEXT;
ALTER TABLE custom_hostnames ADD COLUMN verification_errors     TEXT NOT NULL DEFAULT '[]';
ALTER TABLE custom_hostnames ADD COLUMN ssl_status_changed_at   TEXT;
ALTER TABLE custom_hostnames ADD COLUMN ssl_attempts            INTEGER NOT NULL DEFAULT 0;
ALTER TABLE custom_hostnames ADD COLUMN ssl_next_check_at       TEXT;
ALTER TABLE custom_hostnames ADD COLUMN ssl_validation_errors   TEXT NOT NULL DEFAULT '[]';
ALTER TABLE custom_hostnames ADD COLUMN dv_ecdsa_chain_pem      TEXT;
ALTER TABLE custom_hostnames ADD COLUMN dv_ecdsa_private_key_pem TEXT;
ALTER TABLE custom_hostnames ADD COLUMN dv_rsa_chain_pem        TEXT;
ALTER TABLE custom_hostnames ADD COLUMN dv_rsa_private_key_pem  TEXT;
-- Rows made before this migration changed status when they were created.
UPDATE custom_hostnames SET status_changed_at = created_at,
                            ssl_status_changed_at = CASE WHEN ssl_status IS NULL THEN NULL ELSE created_at END;
CREATE INDEX custom_hostnames_by_next_check ON custom_hostnames (ownership_next_check_at, ssl_next_check_at);

CREATE TABLE fallback_origins (
    zone_id    TEXT PRIMARY KEY,
    origin     TEXT NOT NULL,
    status     TEXT NOT NULL,
    errors     TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
)sql",
};


// 6: the emulator's own settings, not customer state (never in a snapshot or a reset). It
// holds the key check value: a known text sealed under the key-encryption key, so a wrong
// key is refused at start instead of failing request by request.
constexpr std::string_view emulator_settings_migration = R"sql(
CREATE TABLE emulator_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
)sql";

// 5: ordered lists that find a page without counting or skipping rows (issue #12). Each list
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

// Migration 5 in parts: its tables and fills, and its triggers (see fresh_schema below).
enum class ListPart { all, tables, triggers };

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

std::string ordered_lists_migration(ListPart which = ListPart::all) {
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

const std::vector<std::string>& migrations() {
    static const std::vector<std::string> all = [] {
        std::vector<std::string> out(first_migrations.begin(), first_migrations.end());
        out.push_back(ordered_lists_migration());
        out.emplace_back(emulator_settings_migration);
        // 7: the edge looks custom hostnames up by name at every TLS handshake and request (names
        // are unique per zone, not globally). Databases the edge opened before this migration
        // already have the index, which it used to create itself: IF NOT EXISTS keeps them.
        out.push_back("CREATE INDEX IF NOT EXISTS custom_hostnames_by_hostname ON custom_hostnames (hostname);");
        // 8: dns mode checks that a fallback origin resolves before it becomes active, on the
        // hostnames' re-check schedule: its failed-check count and next check time.
        out.push_back("ALTER TABLE fallback_origins ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;\n"
                      "ALTER TABLE fallback_origins ADD COLUMN next_check_at TEXT;");
        // 9: each CSR's JSON as the API shows it, stored when the CSR is created (a CSR never
        // changes), so a page of a list copies 20 stored texts instead of rebuilding 14 columns
        // and the SANs of each CSR. NULL for CSRs stored before and for CSRs a seed loads: the
        // API shows those from their columns. A change to how a CSR is shown must come with a
        // migration that sets this column back to NULL.
        out.push_back("ALTER TABLE custom_csrs ADD COLUMN shown_json TEXT;");
        // 10: the hostnames the background settler visits, so a tick reads those, not the whole
        // table (storage/hostnames_in_motion.hpp).
        out.push_back("CREATE INDEX custom_hostnames_in_motion ON custom_hostnames (created_at, id) WHERE " +
                      std::string(hostname_queries::in_motion) + ";");
        return out;
    }();
    return all;
}

// The latest schema for an empty database: every migration in order, with migration 5's
// triggers made last. Made where they belong, the 15 triggers are parsed again by each ALTER
// TABLE ... ADD COLUMN after them (migrations 8 and 9: 1.8 ms each, most of a new database's
// start-up); an empty database has no rows for them to keep, so where they come does not change
// the result (tests/storage/test_database.cpp compares the two schemas).
const std::string& fresh_schema() {
    static const std::string all = [] {
        std::string out;
        for (std::size_t i = 0; i < migrations().size(); ++i)
            // Migration 5 comes right after the first four.
            out += i == first_migrations.size() ? ordered_lists_migration(ListPart::tables) : migrations()[i];
        return out + ordered_lists_migration(ListPart::triggers);
    }();
    return all;
}

bool is_empty(Database& db) {
    Statement count(db, "SELECT count(*) FROM sqlite_schema");
    return count.step() && count.integer(0) == 0;
}

}  // namespace

int latest_schema_version() noexcept { return static_cast<int>(migrations().size()); }

void apply_migrations(Database& db) {
    auto lock = db.lock();
    int current = db.user_version();
    if (current > latest_schema_version()) {
        throw Error("database '" + db.path() + "' has schema version " + std::to_string(current) +
                        ", newer than this csr-emulator supports (" + std::to_string(latest_schema_version()) +
                        "); use a newer csr-emulator or another --db file",
                    0);
    }
    if (current == latest_schema_version()) return;
    // Every pending migration in one transaction: the database moves to the latest version or
    // stays as it was.
    Transaction tx(db);
    if (current == 0 && is_empty(db)) {
        db.exec(fresh_schema());
    } else {
        for (int version = current + 1; version <= latest_schema_version(); ++version)
            db.exec(migrations()[static_cast<std::size_t>(version - 1)]);
    }
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version()));
    tx.commit();
}

}  // namespace storage
