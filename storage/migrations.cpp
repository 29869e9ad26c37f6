#include "storage/migrations.hpp"

#include <array>
#include <string>

#include "storage/database.hpp"

namespace storage {
namespace {

// Never edit a migration that has shipped; add a new one.
constexpr std::array<std::string_view, 1> migrations = {
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
};

}  // namespace

int latest_schema_version() noexcept { return static_cast<int>(migrations.size()); }

void apply_migrations(Database& db) {
    auto lock = db.lock();
    int current = db.user_version();
    if (current > latest_schema_version()) {
        throw Error("database '" + db.path() + "' has schema version " + std::to_string(current) +
                        ", newer than this csr-emulator supports (" + std::to_string(latest_schema_version()) +
                        "); use a newer csr-emulator or another --db file",
                    0);
    }
    for (int version = current + 1; version <= latest_schema_version(); ++version) {
        Transaction tx(db);
        db.exec(migrations[static_cast<std::size_t>(version - 1)]);
        db.exec("PRAGMA user_version = " + std::to_string(version));
        tx.commit();
    }
}

}  // namespace storage
