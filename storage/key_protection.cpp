#include "storage/key_cipher.hpp"

#include <vector>

#include "storage/database.hpp"

namespace storage {
namespace {

// Sealed under the key and stored once: opening it at start tells a right key from a wrong one
// before any request is served.
constexpr std::string_view check_name = "key_check";
constexpr std::string_view check_plaintext = "csr-emulator key check v1";
constexpr std::string_view check_associated_data = "emulator_settings.value:key_check";

// Set in the transaction that seals plaintext keys, cleared once their old copies are gone:
// a process killed between the two finishes the wipe at its next start.
constexpr std::string_view wipe_pending_name = "key_wipe_pending";

bool wipe_pending(Database& db) {
    Statement s(db, "SELECT 1 FROM emulator_settings WHERE name = ?1");
    s.bind(1, wipe_pending_name);
    return s.step();
}

// Sealing rewrote each key, but the plaintext it replaced is still on disk: in the database
// file's old pages (until a checkpoint overwrites them), in the -wal file's earlier frames, and in
// free pages and freed cell space (also of rows deleted before the switch). VACUUM rebuilds the
// file from the live rows only; the TRUNCATE checkpoint copies the result into the database file
// and empties the -wal file. The -shm file holds only the WAL's index, never row content.
void wipe_plaintext_remains(Database& db) {
    db.exec("VACUUM");
    db.checkpoint_truncate();
    Statement clear(db, "DELETE FROM emulator_settings WHERE name = ?1");
    clear.bind(1, wipe_pending_name);
    clear.run();
    db.checkpoint_truncate();  // the marker's deletion too: the -wal file ends empty
}

std::optional<std::string> stored_check(Database& db) {
    Statement s(db, "SELECT value FROM emulator_settings WHERE name = ?1");
    s.bind(1, check_name);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

}  // namespace

bool is_sealed_text(std::string_view stored) noexcept { return stored.starts_with("enc:"); }

std::string key_associated_data(std::string_view table, std::string_view column, std::string_view row_id) {
    std::string aad;
    aad.reserve(table.size() + column.size() + row_id.size() + 2);
    aad.append(table).append(".").append(column).append(":").append(row_id);
    return aad;
}

int protect_keys(Database& db, std::shared_ptr<const KeyCipher> cipher) {
    auto lock = db.lock();
    auto check = stored_check(db);
    if (!cipher) {
        if (check)
            throw KeyProtectionError("database '" + db.path() +
                                     "' holds encrypted private keys: give its key-encryption key "
                                     "(--key-encryption-key-file or CSR_EMULATOR_KEY_ENCRYPTION_KEY)");
        return 0;
    }
    if (check) {
        try {
            if (cipher->open(*check, check_associated_data) != check_plaintext) throw std::runtime_error("mismatch");
        } catch (const std::exception&) {
            throw KeyProtectionError("the key-encryption key does not open database '" + db.path() +
                                     "': its private keys were encrypted with another key");
        }
    }
    // Seal whatever is still plaintext: all keys of a database written without a key, and none
    // otherwise (every write seals once the cipher is set). One transaction: all or nothing.
    int sealed = 0;
    Transaction tx(db);
    for (const auto& k : key_columns) {
        std::string table(k.table), column(k.column), id(k.row_id_column);
        std::vector<std::pair<std::string, std::string>> plain;
        {
            Statement s(db, "SELECT \"" + id + "\", \"" + column + "\" FROM \"" + table + "\" WHERE \"" + column +
                                "\" IS NOT NULL AND \"" + column + "\" NOT LIKE 'enc:%'");
            while (s.step()) plain.emplace_back(s.text(0), s.text(1));
        }
        Statement update(db, "UPDATE \"" + table + "\" SET \"" + column + "\" = ?1 WHERE \"" + id + "\" = ?2");
        for (auto& [row_id, pem] : plain) {
            update.bind(1, cipher->seal(pem, key_associated_data(table, column, row_id))).bind(2, row_id);
            update.run();
            update.reset();
            ++sealed;
        }
    }
    if (!check) {
        Statement insert(db, "INSERT INTO emulator_settings (name, value) VALUES (?1, ?2)");
        insert.bind(1, check_name).bind(2, cipher->seal(check_plaintext, check_associated_data));
        insert.run();
    }
    if (sealed > 0) {
        Statement mark(db, "INSERT OR REPLACE INTO emulator_settings (name, value) VALUES (?1, '1')");
        mark.bind(1, wipe_pending_name);
        mark.run();
    }
    tx.commit();
    if (sealed > 0 || wipe_pending(db)) {
        try {
            wipe_plaintext_remains(db);
        } catch (const Error& e) {
            throw KeyProtectionError("the private keys of '" + db.path() +
                                     "' are encrypted, but removing their old plaintext copies failed: " + e.what());
        }
    }
    db.set_key_cipher(std::move(cipher));
    return sealed;
}

}  // namespace storage
