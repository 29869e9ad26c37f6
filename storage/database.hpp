#pragma once
// RAII SQLite: the connection, prepared statements, and a transaction guard that rolls back
// unless committed. One connection serves the process; callers hold Database::lock() for the
// duration of one repository operation, so statements and transactions never interleave. The
// lock is not recursive: what one operation needs of another table it reads without locking
// again (e.g. csr_exists in storage/csr_lookup.hpp).
#include <cstdint>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace storage {

class KeyCipher;
class StatementCache;
struct ListBlockCache;

class Error : public std::runtime_error {
public:
    Error(const std::string& what, int sqlite_code) : std::runtime_error(what), code_(sqlite_code) {}
    int sqlite_code() const noexcept { return code_; }  // extended result code
    bool is_foreign_key_violation() const noexcept;
    bool is_unique_violation() const noexcept;

private:
    int code_;
};

class Database {
public:
    // Opens (creating if needed) the file or ":memory:", sets WAL for files, foreign_keys=ON,
    // a busy timeout, and applies pending migrations. A file (and its -wal/-shm companions) is
    // readable by its owner only: it holds private keys. Throws storage::Error.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Held for one repository operation. Not recursive: taking it again on the thread that holds
    // it is a bug (it would deadlock), so it throws storage::Error instead of hanging.
    class Lock {
    public:
        explicit Lock(Database& db);
        ~Lock();
        Lock(Lock&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;
        Lock& operator=(Lock&&) = delete;

    private:
        Database* db_;
    };
    Lock lock() { return Lock(*this); }

    // One snapshot to read from, without waiting for writers or other readers (WAL): a reader
    // connection of its own (opened on first need, a few at most), in a read transaction for as
    // long as the lease lives. A ":memory:" database has no second connection: the lease then
    // holds lock() and uses `fallback`, the caller's statements on this connection.
    class ReadLease {
    public:
        ~ReadLease();
        ReadLease(ReadLease&&) = delete;
        StatementCache& statements() noexcept { return *statements_; }

    private:
        friend class Database;
        struct Reader;
        ReadLease(Database& db, StatementCache& fallback);
        std::optional<Lock> lock_;
        Reader* reader_ = nullptr;
        StatementCache* statements_ = nullptr;
    };
    ReadLease read(StatementCache& fallback) { return ReadLease(*this, fallback); }
    // Off: read() uses this connection (under lock()), so reads see a transaction the caller
    // holds open on it (a test pinning one snapshot for the repositories and its reference).
    void set_reader_connections(bool on) noexcept { reader_connections_ = on; }
    void exec(std::string_view sql);
    int user_version();
    // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
    std::int64_t changes();
    // Rows changed since the connection opened (triggers included): "did anything write?".
    std::int64_t total_changes();
    const std::string& path() const noexcept { return path_; }
    // Copies every WAL frame into the database file and truncates the -wal file to zero bytes,
    // so nothing written before survives there (the key-encryption switch needs it). A no-op for
    // ":memory:". Throws storage::Error when a reader elsewhere keeps it from completing.
    void checkpoint_truncate();

    sqlite3* handle() noexcept { return db_; }

    // A reader connection's block positions of the lists it paged (storage/list_block_cache.hpp);
    // null on the main connection, whose data version does not move with its own writes.
    ListBlockCache* list_block_cache() noexcept { return list_block_cache_.get(); }
    // SQLite's data version of this connection's view of the file (SQLITE_FCNTL_DATA_VERSION):
    // it moves when another connection commits. Read inside a read transaction, after its first
    // read, it names the snapshot that transaction sees.
    std::uint32_t data_version();

    // Private keys at rest (storage/key_cipher.hpp). Set once at start, before serving.
    void set_key_cipher(std::shared_ptr<const KeyCipher> cipher) { cipher_ = std::move(cipher); }
    bool encrypts_keys() const noexcept { return cipher_ != nullptr; }
    // The text to store for a private key of (table, column, row): sealed when a cipher is set.
    std::string seal_key(std::string_view pem, std::string_view table, std::string_view column,
                         std::string_view row_id) const;
    std::optional<std::string> seal_optional_key(const std::optional<std::string>& pem, std::string_view table,
                                        std::string_view column, std::string_view row_id) const;
    // The PEM of a stored key: opened when sealed. Throws storage::Error when it is sealed and
    // there is no cipher, or it does not open.
    std::string open_key(std::string_view stored, std::string_view table, std::string_view column,
                         std::string_view row_id) const;
    std::optional<std::string> open_optional_key(const std::optional<std::string>& stored, std::string_view table,
                                        std::string_view column, std::string_view row_id) const;

private:
    struct ReaderTag {};
    Database(const std::string& path, ReaderTag);  // a reader connection: no creation, no migrations

    std::shared_ptr<const KeyCipher> cipher_;
    std::unique_ptr<ListBlockCache> list_block_cache_;
    std::string path_;
    sqlite3* db_ = nullptr;
    std::mutex mutex_;
    std::atomic<std::thread::id> owner_{};
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<ReadLease::Reader>> readers_;
    std::size_t next_reader_ = 0;
    bool reader_connections_ = true;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bind_null(int index);
    // Binds the value (of whatever type) in `from`'s current row at `column`.
    Statement& bind_column(int index, const Statement& from, int column);

    // Advances to the next row; false when done. Throws storage::Error on failure.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    // Runs it and tells whether it changed a row (an UPDATE or DELETE that found its target).
    bool run_changed();
    // Clears bindings and rewinds, so a cached statement can be used again.
    void reset() noexcept;

    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::int64_t integer(int column) const;
    bool is_null(int column) const;
    bool is_integer(int column) const;
    // The connection this statement runs on (to open a private key it read).
    Database& database() const noexcept { return db_; }

private:
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction (the write lock up front, so a read-then-write cannot be
// overtaken); ROLLBACK in the destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace storage
