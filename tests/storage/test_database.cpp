#include <doctest/doctest.h>

#include <sqlite3.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/fresh_schema.hpp"
#include "storage/migrations.hpp"
#include "storage/statement_cache.hpp"
#include "support/temp_dir.hpp"
#include "support/sql_scalar.hpp"

using storage::Database;
using storage::Statement;
using storage::Transaction;

TEST_CASE("a new database is migrated to the latest schema with foreign keys on") {
    Database db(":memory:");
    CHECK(db.user_version() == storage::latest_schema_version());
    CHECK(test_support::query_integer(db, "PRAGMA foreign_keys") == 1);
}

TEST_CASE("a file database uses WAL and keeps its schema version across reopen") {
    test_support::TempDir dir;
    std::string path = dir.file("db.sqlite3");
    {
        Database db(path);
        Statement mode(db, "PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.text(0) == "wal");
    }
    Database again(path);
    CHECK(again.user_version() == storage::latest_schema_version());
}

TEST_CASE("a database newer than the binary is refused with a clear message") {
    test_support::TempDir dir;
    std::string path = dir.file("future.sqlite3");
    {
        Database db(path);
        db.exec("PRAGMA user_version = " + std::to_string(storage::latest_schema_version() + 5));
    }
    try {
        Database db(path);
        FAIL("opening a newer database must throw");
    } catch (const storage::Error& e) {
        std::string message = e.what();
        CHECK(message.find("newer than this csr-emulator supports") != std::string::npos);
        CHECK(message.find(path) != std::string::npos);
    }
}

namespace {

// A file holding only what `sql` makes (made outside Database, so no migration has run).
void make_raw_file(const std::string& path, const char* sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
}

// The integer a query answers on the file, read past Database (which would migrate it).
int raw_integer(const std::string& path, const char* sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    int value = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return value;
}

}  // namespace

TEST_CASE("a failed migration leaves the database at its previous version, with none of the pending ones") {
    // A table named like something a migration makes fails that migration: the first one half
    // way (custom_csr_sans), or the latest after every earlier one ran (the index of migration
    // 10). Pending migrations apply as one, so either way the file shows none of them.
    for (const char* clash : {"CREATE TABLE custom_csr_sans (x)", "CREATE TABLE custom_hostnames_in_motion (x)"}) {
        CAPTURE(clash);
        test_support::TempDir dir;
        std::string path = dir.file("clash.sqlite3");
        make_raw_file(path, clash);
        CHECK_THROWS_AS(Database{path}, storage::Error);
        CHECK(raw_integer(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('custom_csrs', 'list_blocks')") == 0);
        CHECK(raw_integer(path, "PRAGMA user_version") == 0);
    }
}

TEST_CASE("a new database gets the same schema as one migrated step by step") {
    // A new file starts as the build's empty database (storage/empty_database.hpp: storage/
    // fresh_schema.cpp's text executed at build time); a file with anything in it replays the
    // migrations in order. Both must end the same.
    test_support::TempDir dir;
    std::string fresh = dir.file("fresh.sqlite3"), stepped = dir.file("stepped.sqlite3");
    make_raw_file(stepped, "CREATE TABLE zz_not_empty (x)");
    { Database a(fresh); }
    { Database b(stepped); }
    auto schema = [](const std::string& path) {
        Database db(path);
        Statement s(db, "SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_schema "
                        "WHERE name != 'zz_not_empty' ORDER BY type, name");
        std::vector<std::string> rows;
        while (s.step()) rows.push_back(s.text(0));
        return rows;
    };
    auto a = schema(fresh), b = schema(stepped);
    CHECK(a.size() > 40);  // tables, indexes and the 15 list triggers
    CHECK(a == b);
    // A new database executes storage/fresh_schema.cpp's text: after a new migration that file
    // is made again from a migrated database's schema, printed here.
    if (a != b || storage::fresh_schema_version() != storage::latest_schema_version()) {
        Database db(stepped);
        Statement s(db, "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name != 'zz_not_empty' "
                        "ORDER BY type = 'trigger', rowid");
        std::string text;
        while (s.step()) text += s.text(0) + ";\n";
        // Plus the rows the migrations insert, before the triggers (see the file's comment).
        MESSAGE("storage/fresh_schema.cpp: version " << storage::latest_schema_version() << ", text:\n" << text);
    }
    CHECK(storage::fresh_schema_version() == storage::latest_schema_version());
    // And the same rows: the migrations insert some (list_block_size), the text must too.
    auto rows = [](const std::string& path) {
        Database db(path);
        std::vector<std::string> tables;
        {
            Statement s(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name != 'zz_not_empty' ORDER BY name");
            while (s.step()) tables.push_back(s.text(0));
        }
        std::vector<std::string> out;
        for (const auto& table : tables) {
            Statement s(db, "SELECT count(*) FROM " + table);
            s.step();
            out.push_back(table + " " + std::to_string(s.integer(0)));
        }
        Statement size(db, "SELECT rows FROM list_block_size");
        out.push_back(size.step() ? std::to_string(size.integer(0)) : "none");
        return out;
    };
    CHECK(rows(fresh) == rows(stepped));
    CHECK(raw_integer(fresh, "PRAGMA user_version") == storage::latest_schema_version());
    CHECK(raw_integer(stepped, "PRAGMA user_version") == storage::latest_schema_version());
    CHECK(raw_integer(fresh, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") == 15);
}

TEST_CASE("a new database file is whole, the owner's only, and takes nothing from a WAL left beside it") {
    test_support::TempDir dir;
    // Another database's uncheckpointed WAL (its whole schema is in it), copied to where the new
    // file's WAL would be, as if a database had been deleted without its companions.
    std::string other = dir.file("other.sqlite3"), path = dir.file("new.sqlite3");
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(other.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE intruder (x);"
                              "INSERT INTO intruder VALUES (1)",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    std::filesystem::copy_file(other + "-wal", path + "-wal");
    sqlite3_close(raw);
    REQUIRE(std::filesystem::file_size(path + "-wal") > 0);
    {
        Database db(path);
        Statement check(db, "PRAGMA integrity_check");
        REQUIRE(check.step());
        CHECK(check.text(0) == "ok");
        CHECK(test_support::query_integer(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'intruder'") == 0);
        CHECK(test_support::query_integer(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'custom_csrs'") == 1);
        CHECK(db.user_version() == storage::latest_schema_version());
        // Usable at once: a write and its read.
        db.exec("INSERT INTO zones (id, name, account_id, type, created_on, modified_on, activated_on) "
                "VALUES ('z', 'example.com', 'a', 'full', 'now', 'now', 'now')");
        CHECK(test_support::query_integer(db, "SELECT count(*) FROM zones") == 1);
    }
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(raw_integer(path, "PRAGMA user_version") == storage::latest_schema_version());
}

TEST_CASE("a new database file that cannot be written whole is removed, with an error naming it") {
    test_support::TempDir dir;
    std::string path = dir.file("small.sqlite3");
    // In a child process: a file-size limit below the empty database's size makes its writes fail
    // (EFBIG, with SIGXFSZ ignored), and must not bind the test runner.
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{8192, 8192};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        int code = 3;
        try {
            Database db(path);
            code = 1;  // opened: the limit did not bite
        } catch (const storage::Error& e) {
            code = std::string(e.what()).find(path) != std::string::npos ? 0 : 2;
        } catch (...) {
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("a transaction rolls back unless committed") {
    Database db(":memory:");
    db.exec("CREATE TABLE t (v INTEGER)");
    {
        Transaction tx(db);
        Statement(db, "INSERT INTO t VALUES (1)").run();
    }
    {
        Transaction tx(db);
        Statement(db, "INSERT INTO t VALUES (2)").run();
        tx.commit();
    }
    Statement count(db, "SELECT group_concat(v) FROM t");
    REQUIRE(count.step());
    CHECK(count.text(0) == "2");
}

TEST_CASE("statement errors carry SQLite's message and code") {
    Database db(":memory:");
    db.exec("CREATE TABLE t (v INTEGER PRIMARY KEY)");
    Statement(db, "INSERT INTO t VALUES (1)").run();
    try {
        Statement(db, "INSERT INTO t VALUES (1)").run();
        FAIL("duplicate key must throw");
    } catch (const storage::Error& e) {
        CHECK(e.is_unique_violation());
        CHECK(std::string(e.what()).find("UNIQUE") != std::string::npos);
    }
    CHECK_THROWS_AS(Statement(db, "SELECT * FROM missing_table"), storage::Error);
}

TEST_CASE("a file database and its WAL companions are readable by their owner only") {
    test_support::TempDir dir;
    std::string path = dir.file("private.sqlite3");
    auto mode_of = [](const std::string& file) {
        struct stat st {};
        REQUIRE(::stat(file.c_str(), &st) == 0);
        return st.st_mode & 07777;
    };
    mode_t before = ::umask(0);  // the widest umask: the mode must not come from it
    {
        Database db(path);
        db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)");
        ::umask(before);
        CHECK(mode_of(path) == 0600);
        CHECK(mode_of(path + "-wal") == 0600);
        CHECK(mode_of(path + "-shm") == 0600);
    }
    SUBCASE("an existing file made wider is narrowed on open") {
        REQUIRE(::chmod(path.c_str(), 0644) == 0);
        Database again(path);
        CHECK(mode_of(path) == 0600);
    }
}

TEST_CASE("a cached statement is reused, rewound and cleared after each use") {
    Database db(":memory:");
    db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2)");
    storage::StatementCache cache(db);
    const char* sql = "SELECT v FROM t WHERE v >= ? ORDER BY v";
    Statement* first = nullptr;
    {
        auto s = cache.use(sql);
        first = &*s;
        s->bind(1, std::int64_t{1});
        REQUIRE(s->step());  // left mid-result on purpose
        CHECK(s->integer(0) == 1);
    }
    auto again = cache.use(sql);
    CHECK(&*again == first);
    again->bind(1, std::int64_t{2});
    REQUIRE(again->step());
    CHECK(again->integer(0) == 2);
    SUBCASE("the same SQL used again before the first use ends gets a statement of its own") {
        auto nested = cache.use(sql);
        CHECK(&*nested != first);
        nested->bind(1, std::int64_t{1});
        REQUIRE(nested->step());
        CHECK(nested->integer(0) == 1);
    }
}

TEST_CASE("the database lock is not recursive: taking it twice on one thread throws instead of deadlocking") {
    Database db(":memory:");
    {
        auto lock = db.lock();
        CHECK_THROWS_AS(db.lock(), storage::Error);
    }
    // Released properly: another thread, then this one, can take it again.
    std::thread other([&] { auto lock = db.lock(); });
    other.join();
    CHECK_NOTHROW(db.lock());
}
