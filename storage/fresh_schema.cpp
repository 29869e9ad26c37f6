// Generated: the schema a database has after every migration (storage/migrations.cpp), as
// SQLite stores it (SELECT sql FROM sqlite_schema, in creation order, triggers last), and the one
// row the migrations insert in an empty database (list_block_size, before the triggers). A new,
// empty database executes this instead of replaying the migrations, whose 24 ALTER TABLE ... ADD
// COLUMN each re-parse the whole schema: that replay was over half of a new database's start-up
// (perf, main thread); this text takes half as long. Not edited by hand:
// tests/storage/test_database.cpp checks it against the migrations and, when a migration is
// added, prints the new text to put here.
#include "storage/fresh_schema.hpp"

namespace storage {

int fresh_schema_version() noexcept { return 17; }

std::string_view fresh_schema_sql() noexcept {
    return R"sql(
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
, name_key TEXT GENERATED ALWAYS AS (coalesce(name, '')) VIRTUAL, shown_json TEXT) STRICT;
CREATE INDEX custom_csrs_by_scope ON custom_csrs (scope, scope_id, created_at, id);
CREATE TABLE custom_csr_sans (
    csr_id   TEXT NOT NULL REFERENCES custom_csrs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    san      TEXT NOT NULL,
    PRIMARY KEY (csr_id, position)
) STRICT, WITHOUT ROWID;
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
    cert_fingerprint_sha256   TEXT, status_changed_at       TEXT, ownership_attempts      INTEGER NOT NULL DEFAULT 0, ownership_next_check_at TEXT, verification_errors     TEXT NOT NULL DEFAULT '[]', ssl_status_changed_at   TEXT, ssl_attempts            INTEGER NOT NULL DEFAULT 0, ssl_next_check_at       TEXT, ssl_validation_errors   TEXT NOT NULL DEFAULT '[]', dv_ecdsa_chain_pem      TEXT, dv_ecdsa_private_key_pem TEXT, dv_rsa_chain_pem        TEXT, dv_rsa_private_key_pem  TEXT, ssl_status_key TEXT GENERATED ALWAYS AS (coalesce(ssl_status, '')) VIRTUAL, ssl_clock_at TEXT, ssl_renewal_failure TEXT, cert_id TEXT, dv_ecdsa_certificate_id TEXT, dv_rsa_certificate_id TEXT,
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
, priority_key INTEGER GENERATED ALWAYS AS (-priority) VIRTUAL) STRICT;
CREATE INDEX custom_certificates_by_zone ON custom_certificates (zone_id, uploaded_on, id);
CREATE INDEX custom_certificates_by_csr ON custom_certificates (custom_csr_id);
CREATE TABLE test_ca (
    root_fingerprint_sha256      TEXT PRIMARY KEY,
    created_at                   TEXT NOT NULL,
    root_certificate_pem         TEXT NOT NULL,
    root_private_key_pem         TEXT,
    intermediate_certificate_pem TEXT NOT NULL,
    intermediate_private_key_pem TEXT NOT NULL
) STRICT;
CREATE INDEX custom_hostnames_by_next_check ON custom_hostnames (ownership_next_check_at, ssl_next_check_at);
CREATE TABLE fallback_origins (
    zone_id    TEXT PRIMARY KEY,
    origin     TEXT NOT NULL,
    status     TEXT NOT NULL,
    errors     TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
, attempts INTEGER NOT NULL DEFAULT 0, next_check_at TEXT) STRICT;
CREATE TABLE list_block_size (rows INTEGER NOT NULL CHECK (rows > 0)) STRICT;
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
CREATE INDEX custom_csrs_by_name ON custom_csrs (scope, scope_id, name_key, created_at, id);
CREATE INDEX custom_hostnames_by_ssl_status ON custom_hostnames (zone_id, ssl_status_key, created_at, id);
CREATE INDEX custom_certificates_by_priority ON custom_certificates (zone_id, priority_key, uploaded_on, id);
CREATE TABLE emulator_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE INDEX custom_hostnames_by_hostname ON custom_hostnames (hostname);
CREATE INDEX custom_hostnames_in_motion ON custom_hostnames (created_at, id) WHERE (status IN ('moved', 'pending') OR ssl_status IN ('initializing', 'pending_issuance', 'pending_deployment', 'pending_validation') OR (ssl_status = 'active' AND cert_chain_pem IS NULL AND dv_ecdsa_chain_pem IS NULL) OR ownership_next_check_at IS NOT NULL OR ssl_next_check_at IS NOT NULL);
CREATE INDEX custom_hostnames_by_clock ON custom_hostnames (ssl_clock_at) WHERE ssl_clock_at IS NOT NULL;
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
CREATE TABLE custom_hostname_history (
    seq          INTEGER PRIMARY KEY,
    hostname_id  TEXT NOT NULL REFERENCES custom_hostnames (id) ON DELETE CASCADE,
    verification TEXT NOT NULL CHECK (verification IN ('ownership', 'certificate')),
    status       TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX custom_hostname_history_by_hostname ON custom_hostname_history (hostname_id, seq);
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
INSERT INTO list_block_size (rows) VALUES (1024);
CREATE TRIGGER custom_csrs_list_created_insert AFTER INSERT ON custom_csrs BEGIN
    INSERT INTO list_counts (list, owner, n) VALUES (CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END, NEW.scope_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.created_at, k2 = NEW.id, k3 = ''
        WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) > (NEW.created_at, NEW.id, '')
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END, NEW.scope_id, NEW.created_at, NEW.id, '', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END, NEW.scope_id, x.created_at, x.id, '',
               (SELECT -n FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_csrs AS x
        WHERE x.scope = NEW.scope AND x.scope_id = NEW.scope_id AND (x.created_at, x.id) >= (SELECT k1, k2 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id
                               AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_csrs_list_created_delete AFTER DELETE ON custom_csrs BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id;
    DELETE FROM list_counts WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
END;
CREATE TRIGGER custom_csrs_list_created_update AFTER UPDATE OF scope, scope_id, created_at, id ON custom_csrs WHEN NOT (CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END IS CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END) OR NOT (OLD.scope_id IS NEW.scope_id) OR NOT (OLD.created_at IS NEW.created_at) OR NOT (OLD.id IS NEW.id) BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id;
    DELETE FROM list_counts WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);

    INSERT INTO list_counts (list, owner, n) VALUES (CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END, NEW.scope_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.created_at, k2 = NEW.id, k3 = ''
        WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) > (NEW.created_at, NEW.id, '')
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END, NEW.scope_id, NEW.created_at, NEW.id, '', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END, NEW.scope_id, x.created_at, x.id, '',
               (SELECT -n FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_csrs AS x
        WHERE x.scope = NEW.scope AND x.scope_id = NEW.scope_id AND (x.created_at, x.id) >= (SELECT k1, k2 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 3 ELSE 1 END AND owner = NEW.scope_id
                               AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_csrs_list_name_insert AFTER INSERT ON custom_csrs BEGIN
    INSERT INTO list_counts (list, owner, n) VALUES (CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END, NEW.scope_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.name_key, k2 = NEW.created_at, k3 = NEW.id
        WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) > (NEW.name_key, NEW.created_at, NEW.id)
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END, NEW.scope_id, NEW.name_key, NEW.created_at, NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END, NEW.scope_id, x.name_key, x.created_at, x.id,
               (SELECT -n FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_csrs AS x
        WHERE x.scope = NEW.scope AND x.scope_id = NEW.scope_id AND (x.name_key, x.created_at, x.id) >= (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.name_key, x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id
                               AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_csrs_list_name_delete AFTER DELETE ON custom_csrs BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id;
    DELETE FROM list_counts WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.name_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.name_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
END;
CREATE TRIGGER custom_csrs_list_name_update AFTER UPDATE OF scope, scope_id, name, created_at, id ON custom_csrs WHEN NOT (CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END IS CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END) OR NOT (OLD.scope_id IS NEW.scope_id) OR NOT (OLD.name_key IS NEW.name_key) OR NOT (OLD.created_at IS NEW.created_at) OR NOT (OLD.id IS NEW.id) BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id;
    DELETE FROM list_counts WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.name_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE OLD.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = OLD.scope_id AND (k1, k2, k3) <= (OLD.name_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);

    INSERT INTO list_counts (list, owner, n) VALUES (CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END, NEW.scope_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.name_key, k2 = NEW.created_at, k3 = NEW.id
        WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) > (NEW.name_key, NEW.created_at, NEW.id)
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END, NEW.scope_id, NEW.name_key, NEW.created_at, NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END, NEW.scope_id, x.name_key, x.created_at, x.id,
               (SELECT -n FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_csrs AS x
        WHERE x.scope = NEW.scope AND x.scope_id = NEW.scope_id AND (x.name_key, x.created_at, x.id) >= (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.name_key, x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = CASE NEW.scope WHEN 'account' THEN 4 ELSE 2 END AND owner = NEW.scope_id
                               AND (k1, k2, k3) <= (NEW.name_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_hostnames_list_created_insert AFTER INSERT ON custom_hostnames BEGIN
    INSERT INTO list_counts (list, owner, n) VALUES (5, NEW.zone_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.created_at, k2 = NEW.id, k3 = ''
        WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) > (NEW.created_at, NEW.id, '')
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT 5, NEW.zone_id, NEW.created_at, NEW.id, '', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT 5, NEW.zone_id, x.created_at, x.id, '',
               (SELECT -n FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_hostnames AS x
        WHERE x.zone_id = NEW.zone_id AND (x.created_at, x.id) >= (SELECT k1, k2 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = 5 AND owner = NEW.zone_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id
                               AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_hostnames_list_created_delete AFTER DELETE ON custom_hostnames BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = 5 AND owner = OLD.zone_id;
    DELETE FROM list_counts WHERE list = 5 AND owner = OLD.zone_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = 5 AND owner = OLD.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = 5 AND owner = OLD.zone_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
END;
CREATE TRIGGER custom_hostnames_list_created_update AFTER UPDATE OF zone_id, created_at, id ON custom_hostnames WHEN NOT (5 IS 5) OR NOT (OLD.zone_id IS NEW.zone_id) OR NOT (OLD.created_at IS NEW.created_at) OR NOT (OLD.id IS NEW.id) BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = 5 AND owner = OLD.zone_id;
    DELETE FROM list_counts WHERE list = 5 AND owner = OLD.zone_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = 5 AND owner = OLD.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = 5 AND owner = OLD.zone_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.created_at, OLD.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);

    INSERT INTO list_counts (list, owner, n) VALUES (5, NEW.zone_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.created_at, k2 = NEW.id, k3 = ''
        WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) > (NEW.created_at, NEW.id, '')
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT 5, NEW.zone_id, NEW.created_at, NEW.id, '', 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT 5, NEW.zone_id, x.created_at, x.id, '',
               (SELECT -n FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_hostnames AS x
        WHERE x.zone_id = NEW.zone_id AND (x.created_at, x.id) >= (SELECT k1, k2 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = 5 AND owner = NEW.zone_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = 5 AND owner = NEW.zone_id
                               AND (k1, k2, k3) <= (NEW.created_at, NEW.id, '') ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_hostnames_list_ssl_status_insert AFTER INSERT ON custom_hostnames BEGIN
    INSERT INTO list_counts (list, owner, n) VALUES (6, NEW.zone_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.ssl_status_key, k2 = NEW.created_at, k3 = NEW.id
        WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) > (NEW.ssl_status_key, NEW.created_at, NEW.id)
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT 6, NEW.zone_id, NEW.ssl_status_key, NEW.created_at, NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT 6, NEW.zone_id, x.ssl_status_key, x.created_at, x.id,
               (SELECT -n FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_hostnames AS x
        WHERE x.zone_id = NEW.zone_id AND (x.ssl_status_key, x.created_at, x.id) >= (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.ssl_status_key, x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = 6 AND owner = NEW.zone_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id
                               AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_hostnames_list_ssl_status_delete AFTER DELETE ON custom_hostnames BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = 6 AND owner = OLD.zone_id;
    DELETE FROM list_counts WHERE list = 6 AND owner = OLD.zone_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = 6 AND owner = OLD.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.ssl_status_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = 6 AND owner = OLD.zone_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.ssl_status_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
END;
CREATE TRIGGER custom_hostnames_list_ssl_status_update AFTER UPDATE OF zone_id, ssl_status, created_at, id ON custom_hostnames WHEN NOT (6 IS 6) OR NOT (OLD.zone_id IS NEW.zone_id) OR NOT (OLD.ssl_status_key IS NEW.ssl_status_key) OR NOT (OLD.created_at IS NEW.created_at) OR NOT (OLD.id IS NEW.id) BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = 6 AND owner = OLD.zone_id;
    DELETE FROM list_counts WHERE list = 6 AND owner = OLD.zone_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = 6 AND owner = OLD.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.ssl_status_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = 6 AND owner = OLD.zone_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.ssl_status_key, OLD.created_at, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);

    INSERT INTO list_counts (list, owner, n) VALUES (6, NEW.zone_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.ssl_status_key, k2 = NEW.created_at, k3 = NEW.id
        WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) > (NEW.ssl_status_key, NEW.created_at, NEW.id)
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT 6, NEW.zone_id, NEW.ssl_status_key, NEW.created_at, NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT 6, NEW.zone_id, x.ssl_status_key, x.created_at, x.id,
               (SELECT -n FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_hostnames AS x
        WHERE x.zone_id = NEW.zone_id AND (x.ssl_status_key, x.created_at, x.id) >= (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.ssl_status_key, x.created_at, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = 6 AND owner = NEW.zone_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = 6 AND owner = NEW.zone_id
                               AND (k1, k2, k3) <= (NEW.ssl_status_key, NEW.created_at, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_certificates_list_priority_insert AFTER INSERT ON custom_certificates BEGIN
    INSERT INTO list_counts (list, owner, n) VALUES (7, NEW.zone_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.priority_key, k2 = NEW.uploaded_on, k3 = NEW.id
        WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) > (NEW.priority_key, NEW.uploaded_on, NEW.id)
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT 7, NEW.zone_id, NEW.priority_key, NEW.uploaded_on, NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT 7, NEW.zone_id, x.priority_key, x.uploaded_on, x.id,
               (SELECT -n FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_certificates AS x
        WHERE x.zone_id = NEW.zone_id AND (x.priority_key, x.uploaded_on, x.id) >= (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.priority_key, x.uploaded_on, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = 7 AND owner = NEW.zone_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id
                               AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
CREATE TRIGGER custom_certificates_list_priority_delete AFTER DELETE ON custom_certificates BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = 7 AND owner = OLD.zone_id;
    DELETE FROM list_counts WHERE list = 7 AND owner = OLD.zone_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = 7 AND owner = OLD.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.priority_key, OLD.uploaded_on, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = 7 AND owner = OLD.zone_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.priority_key, OLD.uploaded_on, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
END;
CREATE TRIGGER custom_certificates_list_priority_update AFTER UPDATE OF zone_id, priority, uploaded_on, id ON custom_certificates WHEN NOT (7 IS 7) OR NOT (OLD.zone_id IS NEW.zone_id) OR NOT (OLD.priority_key IS NEW.priority_key) OR NOT (OLD.uploaded_on IS NEW.uploaded_on) OR NOT (OLD.id IS NEW.id) BEGIN
    UPDATE list_counts SET n = n - 1 WHERE list = 7 AND owner = OLD.zone_id;
    DELETE FROM list_counts WHERE list = 7 AND owner = OLD.zone_id AND n = 0;
    UPDATE list_blocks SET n = n - 1 WHERE list = 7 AND owner = OLD.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.priority_key, OLD.uploaded_on, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    DELETE FROM list_blocks WHERE list = 7 AND owner = OLD.zone_id AND n = 0 AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = OLD.zone_id AND (k1, k2, k3) <= (OLD.priority_key, OLD.uploaded_on, OLD.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);

    INSERT INTO list_counts (list, owner, n) VALUES (7, NEW.zone_id, 1)
        ON CONFLICT (list, owner) DO UPDATE SET n = n + 1;
    UPDATE list_blocks SET k1 = NEW.priority_key, k2 = NEW.uploaded_on, k3 = NEW.id
        WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) > (NEW.priority_key, NEW.uploaded_on, NEW.id)
          AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id
                              ORDER BY k1, k2, k3 LIMIT 1);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n) SELECT 7, NEW.zone_id, NEW.priority_key, NEW.uploaded_on, NEW.id, 0
        WHERE NOT EXISTS (SELECT 1 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id);
    UPDATE list_blocks SET n = n + 1 WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1);
    UPDATE list_blocks SET n = -n
        WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n >= 2 * (SELECT rows FROM list_block_size);
    INSERT INTO list_blocks (list, owner, k1, k2, k3, n)
        SELECT 7, NEW.zone_id, x.priority_key, x.uploaded_on, x.id,
               (SELECT -n FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1)) - (SELECT rows FROM list_block_size)
        FROM custom_certificates AS x
        WHERE x.zone_id = NEW.zone_id AND (x.priority_key, x.uploaded_on, x.id) >= (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id
                                         AND (k1, k2, k3) = (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 1) AND n < 0)
        ORDER BY x.priority_key, x.uploaded_on, x.id LIMIT 1 OFFSET (SELECT rows FROM list_block_size);
    UPDATE list_blocks SET n = (SELECT rows FROM list_block_size)
        WHERE list = 7 AND owner = NEW.zone_id AND n < 0
          AND (k1, k2, k3) IN (SELECT k1, k2, k3 FROM list_blocks WHERE list = 7 AND owner = NEW.zone_id
                               AND (k1, k2, k3) <= (NEW.priority_key, NEW.uploaded_on, NEW.id) ORDER BY k1 DESC, k2 DESC, k3 DESC LIMIT 2);
END;
)sql";
}

}  // namespace storage
