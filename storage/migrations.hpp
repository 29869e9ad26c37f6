#pragma once
// Numbered schema migrations, applied in order; all pending ones atomically, with PRAGMA
// user_version.
#include <string_view>

namespace storage {

class Database;

// The schema version this binary writes; a database with a higher user_version is refused.
int latest_schema_version() noexcept;

// Applies every migration above the database's user_version. Throws storage::Error when the
// database is newer than this binary.
void apply_migrations(Database& db);

}  // namespace storage
