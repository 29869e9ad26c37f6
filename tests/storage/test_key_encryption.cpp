#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <sys/wait.h>
#include <unistd.h>
#include <stdexcept>
#include <string>

#include "storage/csr_repository.hpp"
#include "storage/database.hpp"
#include "storage/emulator_ca_repository.hpp"
#include "storage/hostname_repository.hpp"
#include "storage/key_cipher.hpp"
#include "storage/state_repository.hpp"
#include "support/csr_rows.hpp"
#include "support/keys_on_disk.hpp"
#include "support/temp_dir.hpp"
#include "support/sql_scalar.hpp"

using storage::Database;
using storage::Statement;

namespace {

// A stand-in for crypto/'s AES-256-GCM (storage/ never links OpenSSL): reversible, and refusing
// another key or other associated data, which is all storage relies on.
class FakeCipher {
public:
    explicit FakeCipher(std::string key) : key_(std::move(key)) {}
    std::string seal(std::string_view plaintext, std::string_view aad) const {
        std::string hidden(plaintext.rbegin(), plaintext.rend());
        for (auto& c : hidden) c = static_cast<char>(c ^ 0x20);
        return "enc:fake:" + key_ + "|" + std::string(aad) + "|" + hidden;
    }
    std::string open(std::string_view sealed, std::string_view aad) const {
        std::string prefix = "enc:fake:" + key_ + "|" + std::string(aad) + "|";
        if (!sealed.starts_with(prefix)) throw std::runtime_error("does not open");
        std::string hidden(sealed.substr(prefix.size()));
        for (auto& c : hidden) c = static_cast<char>(c ^ 0x20);
        return std::string(hidden.rbegin(), hidden.rend());
    }

private:
    std::string key_;
};

std::shared_ptr<const storage::KeyCipher> fake_cipher(std::string key) {
    return std::make_shared<const storage::KeyCipher>(FakeCipher(std::move(key)));
}

const std::string pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n";

std::string stored_csr_key(Database& db, const std::string& id) {
    Statement s(db, "SELECT private_key_pem FROM custom_csrs WHERE id = ?1");
    s.bind(1, id);
    REQUIRE(s.step());
    return s.text(0);
}

std::string exported_csr_key(Database& db) {
    for (const auto& table : storage::StateRepository(db).export_state()) {
        if (table.table != "custom_csrs") continue;
        for (std::size_t i = 0; i < table.columns.size(); ++i)
            if (table.columns[i] == "private_key_pem") return std::get<std::string>(table.rows.at(0)[i]);
    }
    FAIL("no custom_csrs.private_key_pem in the export");
    return {};
}

storage::StoredEmulatorCa test_ca() {
    return {"fp1", "2026-01-01T00:00:00Z", "root cert", pem, "intermediate cert", pem};
}

}  // namespace

TEST_CASE("with a cipher, rows hold no PEM key and every reader gets the PEM back") {
    Database db(":memory:");
    CHECK(storage::protect_keys(db, fake_cipher("k1")) == 0);
    storage::CsrRepository(db).insert(test_support::make_csr("csr-1"), pem);
    storage::EmulatorCaRepository(db).insert(test_ca());
    std::string stored = stored_csr_key(db, "csr-1");
    CHECK(stored.starts_with("enc:"));
    CHECK(stored.find("PRIVATE KEY") == std::string::npos);
    CHECK(exported_csr_key(db) == pem);
    auto ca = storage::EmulatorCaRepository(db).newest();
    REQUIRE(ca);
    CHECK(ca->intermediate_private_key_pem == pem);
    CHECK(ca->root_private_key_pem == pem);
    Statement raw(db, "SELECT root_private_key_pem || intermediate_private_key_pem FROM test_ca");
    REQUIRE(raw.step());
    CHECK(raw.text(0).find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("a sealed key copied into another row does not open") {
    Database db(":memory:");
    storage::protect_keys(db, fake_cipher("k1"));
    storage::CsrRepository(db).insert(test_support::make_csr("csr-1"), pem);
    storage::CsrRepository(db).insert(test_support::make_csr("csr-2"), pem);
    db.exec("UPDATE custom_csrs SET private_key_pem = (SELECT private_key_pem FROM custom_csrs WHERE id = 'csr-1') "
            "WHERE id = 'csr-2'");
    db.exec("DELETE FROM custom_csrs WHERE id = 'csr-1'");
    CHECK_THROWS_AS(exported_csr_key(db), storage::Error);
}

TEST_CASE("a database written without a key is encrypted in place when a key is given, then needs it") {
    test_support::TempDir dir;
    std::string path = dir.file("db.sqlite3");
    {
        Database db(path);
        CHECK(storage::protect_keys(db, nullptr) == 0);
        storage::CsrRepository(db).insert(test_support::make_csr("csr-1"), pem);
        storage::EmulatorCaRepository(db).insert(test_ca());
        CHECK(stored_csr_key(db, "csr-1") == pem);
    }
    {
        Database db(path);
        CHECK(storage::protect_keys(db, fake_cipher("k1")) == 3);  // the CSR's and the CA's two
        CHECK(stored_csr_key(db, "csr-1").starts_with("enc:"));
        CHECK(exported_csr_key(db) == pem);
    }
    SUBCASE("the same key again: nothing more to encrypt") {
        Database db(path);
        CHECK(storage::protect_keys(db, fake_cipher("k1")) == 0);
        CHECK(exported_csr_key(db) == pem);
    }
    SUBCASE("another key is refused before anything is read") {
        Database db(path);
        CHECK_THROWS_WITH_AS(storage::protect_keys(db, fake_cipher("k2")),
                             doctest::Contains("does not open"), storage::KeyProtectionError);
    }
    SUBCASE("no key is refused: the keys cannot be read") {
        Database db(path);
        CHECK_THROWS_WITH_AS(storage::protect_keys(db, nullptr), doctest::Contains("encrypted private keys"),
                             storage::KeyProtectionError);
    }
}

TEST_CASE("seeding with a cipher stores the seeded keys sealed") {
    Database db(":memory:");
    storage::protect_keys(db, fake_cipher("k1"));
    storage::CsrRepository(db).insert(test_support::make_csr("csr-1"), pem);
    auto state = storage::StateRepository(db).export_state();
    storage::StateRepository(db).import_state(state);
    CHECK(stored_csr_key(db, "csr-1").starts_with("enc:"));
    CHECK(exported_csr_key(db) == pem);
}

TEST_CASE("the settings table is not customer state") {
    Database db(":memory:");
    storage::protect_keys(db, fake_cipher("k1"));
    for (const auto& table : storage::StateRepository(db).schema()) CHECK(table.name != "emulator_settings");
    storage::StateRepository(db).reset_all(false);
    CHECK(test_support::query_integer(db, "SELECT COUNT(*) FROM emulator_settings") == 1);
}

TEST_CASE("the switch to encryption removes the plaintext it replaced: old pages, -wal frames, deleted rows") {
    test_support::TempDir dir;
    std::string path = dir.file("db.sqlite3");
    Database db(path);
    storage::protect_keys(db, nullptr);
    for (int i = 0; i < 20; ++i) storage::CsrRepository(db).insert(test_support::make_csr("csr-" + std::to_string(i)), pem);
    db.exec("DELETE FROM custom_csrs WHERE id IN ('csr-0', 'csr-1', 'csr-2')");
    REQUIRE(test_support::plaintext_keys_on_disk(path) > 0);
    CHECK(storage::protect_keys(db, fake_cipher("k1")) == 17);
    // Checked with the connection still open: the result does not wait for a clean close.
    CHECK(test_support::plaintext_keys_on_disk(path) == 0);
    CHECK(std::filesystem::file_size(path + "-wal") == 0);
    CHECK(exported_csr_key(db) == pem);
}

TEST_CASE("a switch cut short after sealing (the process killed) finishes removing the plaintext at the next start") {
    test_support::TempDir dir;
    std::string path = dir.file("db.sqlite3");
    {
        Database db(path);
        storage::protect_keys(db, nullptr);
        for (int i = 0; i < 20; ++i)
            storage::CsrRepository(db).insert(test_support::make_csr("csr-" + std::to_string(i)), pem);
        db.exec("DELETE FROM custom_csrs WHERE id = 'csr-0'");
    }
    // What a switch killed between its commit and its wipe leaves: every key sealed, the key
    // check and the pending mark set, the plaintext still in the file's old pages (the new ones
    // wait in the -wal). A child process writes it and exits without closing, as a kill would.
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            Database db(path);
            auto cipher = fake_cipher("k1");
            for (int i = 1; i < 20; ++i) {
                std::string id = "csr-" + std::to_string(i);
                Statement update(db, "UPDATE custom_csrs SET private_key_pem = ?1 WHERE id = ?2");
                update.bind(1, cipher->seal(pem, storage::key_associated_data("custom_csrs", "private_key_pem", id))).bind(2, id);
                update.run();
            }
            Statement check(db, "INSERT INTO emulator_settings (name, value) VALUES ('key_check', ?1), ('key_wipe_pending', '1')");
            check.bind(1, cipher->seal("csr-emulator key check v1", "emulator_settings.value:key_check"));
            check.run();
            _exit(0);  // inside the scope: no destructor closes the database (a close would checkpoint)
        } catch (...) {
        }
        _exit(1);  // the parent fails on the exit status; doctest must not go on in the child
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    REQUIRE(test_support::plaintext_keys_on_disk(path) > 0);
    Database db(path);
    CHECK(storage::protect_keys(db, fake_cipher("k1")) == 0);
    CHECK(test_support::plaintext_keys_on_disk(path) == 0);
    CHECK(test_support::query_integer(db, "SELECT COUNT(*) FROM emulator_settings WHERE name = 'key_wipe_pending'") == 0);
}
