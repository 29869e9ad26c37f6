#include "storage/migrations.hpp"

#include <array>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/fresh_schema.hpp"
#include "storage/hostnames_in_motion.hpp"
#include "storage/ordered_list_migration.hpp"

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

// Every migration in order; its number is its position from 1. Never edit one that has shipped.
const std::vector<std::string>& migrations() {
    static const std::vector<std::string> all = [] {
        // 1-4: above.
        std::vector<std::string> out(first_migrations.begin(), first_migrations.end());
        // 5: ordered lists (storage/ordered_list_migration.hpp).
        out.push_back(ordered_lists_migration());
        // 6: the emulator's own settings, not customer state (never in a snapshot or a reset).
        // It holds the key check value: a known text sealed under the key-encryption key, so a
        // wrong key is refused at start instead of failing request by request.
        out.emplace_back(R"sql(
CREATE TABLE emulator_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
)sql");
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
        // 11: renewal and expiry on the clock. ssl_clock_at is the next instant the clock alone
        // changes a settled certificate (a DV renewal's start, an uploaded one's expiry), indexed
        // so the settler finds those few among the settled many (hostname_queries::clock_due);
        // ssl_renewal_failure is the message the next DV renewal fails with (an emulator route).
        out.push_back("ALTER TABLE custom_hostnames ADD COLUMN ssl_clock_at TEXT;\n"
                      "ALTER TABLE custom_hostnames ADD COLUMN ssl_renewal_failure TEXT;\n"
                      "CREATE INDEX custom_hostnames_by_clock ON custom_hostnames (ssl_clock_at) "
                      "WHERE ssl_clock_at IS NOT NULL;");
        // 12: zones that exist (POST /zones, --zone, a seed). A zone id used without one keeps
        // working as before; these give names to the zones Origin CA checks hostnames against.
        // activated_on is when the zone becomes active (pending until then, by the clock).
        out.emplace_back(R"sql(
CREATE TABLE zones (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    account_id   TEXT NOT NULL,
    type         TEXT NOT NULL CHECK (type IN ('full', 'partial', 'secondary')),
    created_on   TEXT NOT NULL,
    modified_on  TEXT NOT NULL,
    activated_on TEXT NOT NULL
) STRICT;
CREATE INDEX zones_by_account ON zones (account_id, name);
)sql");
        // 13: the Origin CA. Its two roots (not customer state: kept across resets like the
        // test CA), and the certificates it issued, with the CSR but never a private key. A
        // certificate is listed under each zone its hostnames fall in.
        out.emplace_back(R"sql(
CREATE TABLE origin_ca_roots (
    kind            TEXT PRIMARY KEY CHECK (kind IN ('rsa', 'ecc')),
    created_at      TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    private_key_pem TEXT NOT NULL
) STRICT;
CREATE TABLE origin_ca_certificates (
    id                 TEXT PRIMARY KEY,
    request_type       TEXT NOT NULL CHECK (request_type IN ('origin-rsa', 'origin-ecc', 'keyless-certificate')),
    requested_validity INTEGER NOT NULL CHECK (requested_validity IN (7, 30, 90, 365, 730, 1095, 5475)),
    hostnames          TEXT NOT NULL,
    csr_pem            TEXT NOT NULL,
    certificate_pem    TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    expires_on         TEXT NOT NULL,
    revoked_at         TEXT
) STRICT;
CREATE TABLE origin_ca_certificate_zones (
    certificate_id TEXT NOT NULL REFERENCES origin_ca_certificates (id) ON DELETE CASCADE,
    zone_id        TEXT NOT NULL,
    PRIMARY KEY (zone_id, certificate_id)
) STRICT, WITHOUT ROWID;
)sql");
        // 14: notifications. Webhook destinations and policies of an account; the outbox: each
        // certificate event, written in the transaction of the status change that fires it, one
        // delivery per (policy, webhook) it reaches, and every attempt of each delivery. A
        // delivery's next attempt is in wall-clock milliseconds (retries are real time).
        out.emplace_back(R"sql(
CREATE TABLE alert_destinations (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL, secret TEXT,
    type TEXT NOT NULL, created_at TEXT NOT NULL, last_success TEXT, last_failure TEXT
) STRICT;
CREATE TABLE alert_policies (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
    alert_type TEXT NOT NULL, enabled INTEGER NOT NULL, mechanisms TEXT NOT NULL, filters TEXT NOT NULL,
    alert_interval TEXT, created TEXT NOT NULL, modified TEXT NOT NULL
) STRICT;
CREATE TABLE notification_events (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, zone_id TEXT NOT NULL,
    type TEXT NOT NULL, created_at TEXT NOT NULL, payload TEXT NOT NULL
) STRICT;
CREATE TABLE notification_deliveries (
    id INTEGER PRIMARY KEY,
    event_seq INTEGER NOT NULL REFERENCES notification_events (seq) ON DELETE CASCADE,
    policy_id TEXT NOT NULL, policy_name TEXT NOT NULL, alert_type TEXT NOT NULL, destination_id TEXT NOT NULL,
    url TEXT NOT NULL, secret TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL, last_status INTEGER, finished_at TEXT
) STRICT;
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_ms, id) WHERE state = 'pending';
CREATE INDEX notification_deliveries_by_event ON notification_deliveries (event_seq);
CREATE TABLE notification_attempts (
    delivery_id INTEGER NOT NULL REFERENCES notification_deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL, at TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,
    error TEXT NOT NULL, PRIMARY KEY (delivery_id, attempt)
) STRICT;
)sql");
        // 15: each custom hostname's status changes with their times, both verifications (the
        // web console's timeline), appended in the transaction of the change. Hostnames stored
        // before start with the statuses they have, at the time they entered them.
        out.emplace_back(R"sql(
CREATE TABLE custom_hostname_history (
    seq          INTEGER PRIMARY KEY,
    hostname_id  TEXT NOT NULL REFERENCES custom_hostnames (id) ON DELETE CASCADE,
    verification TEXT NOT NULL CHECK (verification IN ('ownership', 'certificate')),
    status       TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX custom_hostname_history_by_hostname ON custom_hostname_history (hostname_id, seq);
INSERT INTO custom_hostname_history (hostname_id, verification, status, at)
    SELECT id, 'ownership', status, coalesce(status_changed_at, created_at) FROM custom_hostnames;
INSERT INTO custom_hostname_history (hostname_id, verification, status, at)
    SELECT id, 'certificate', ssl_status, coalesce(ssl_status_changed_at, created_at) FROM custom_hostnames
    WHERE ssl_status IS NOT NULL;
)sql");
        // 16: certificate packs (Advanced Certificate Manager) of a zone. The validation
        // bookkeeping mirrors a custom hostname's ssl columns (the same lifecycle moves both);
        // the issued pair is kept with its keys sealed like the hostnames' DV pairs.
        out.emplace_back(R"sql(
CREATE TABLE certificate_packs (
    id TEXT PRIMARY KEY, zone_id TEXT NOT NULL, type TEXT NOT NULL CHECK (type = 'advanced'),
    hosts TEXT NOT NULL, validation_method TEXT NOT NULL CHECK (validation_method IN ('txt', 'http', 'email')),
    validity_days INTEGER NOT NULL CHECK (validity_days IN (14, 30, 90, 365)),
    certificate_authority TEXT NOT NULL CHECK (certificate_authority IN ('google', 'lets_encrypt', 'ssl_com')),
    cloudflare_branding INTEGER NOT NULL, created_at TEXT NOT NULL, dcv_token TEXT NOT NULL,
    status TEXT NOT NULL, status_changed_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_check_at TEXT, validation_errors TEXT NOT NULL DEFAULT '[]', renewal_failure TEXT, clock_at TEXT,
    ecdsa_certificate_id TEXT, rsa_certificate_id TEXT,
    ecdsa_chain_pem TEXT, ecdsa_private_key_pem TEXT, rsa_chain_pem TEXT, rsa_private_key_pem TEXT
) STRICT;
CREATE INDEX certificate_packs_by_zone ON certificate_packs (zone_id, created_at, id);
)sql");
        // 17: ids for a custom hostname's certificates (its pack is the ssl object, ssl_id): the
        // uploaded one and each of the DV pair, so one can be replaced or deleted by id. Rows
        // stored before get random (version 4) ids.
        out.emplace_back(R"sql(
ALTER TABLE custom_hostnames ADD COLUMN cert_id TEXT;
ALTER TABLE custom_hostnames ADD COLUMN dv_ecdsa_certificate_id TEXT;
ALTER TABLE custom_hostnames ADD COLUMN dv_rsa_certificate_id TEXT;
UPDATE custom_hostnames SET cert_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
    substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
    substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE cert_chain_pem IS NOT NULL;
UPDATE custom_hostnames SET dv_ecdsa_certificate_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) ||
    '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
    substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE dv_ecdsa_chain_pem IS NOT NULL;
UPDATE custom_hostnames SET dv_rsa_certificate_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) ||
    '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
    substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE dv_rsa_chain_pem IS NOT NULL;
)sql");
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
        // The stored result of every migration when it is up to date (storage/fresh_schema.cpp);
        // otherwise (a migration added, the text not made again yet) the migrations themselves.
        if (fresh_schema_version() == latest_schema_version())
            db.exec(fresh_schema_sql());
        else
            db.exec(fresh_schema());
    } else {
        for (int version = current + 1; version <= latest_schema_version(); ++version)
            db.exec(migrations()[static_cast<std::size_t>(version - 1)]);
    }
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version()));
    tx.commit();
}

}  // namespace storage
