#include "storage/database.hpp"

#include "storage/key_cipher.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/empty_database.hpp"
#include "storage/list_block_cache.hpp"
#include "storage/migrations.hpp"
#include "storage/statement_cache.hpp"

namespace storage {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what, int rc) {
    std::string message = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int extended = db ? sqlite3_extended_errcode(db) : rc;
    throw Error(message, extended);
}

bool is_file(const std::string& path) {
    // ":memory:" and "" (a private temporary database) are not files; nor is a URI we do not use.
    return !path.empty() && path != ":memory:";
}

// The database holds private keys: create it 0600 whatever the umask, and narrow a file made
// wider by an older version or by hand. SQLite gives -wal and -shm the main file's mode when it
// creates them; companions left from before are narrowed here too.
// Returns whether the file was created here.
bool restrict_to_owner(const std::string& path) {
    // O_EXCL: only a new file is created here; an existing one is left for SQLite to open (read
    // only, if that is all it allows), after its mode is narrowed below.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool created = fd >= 0;
    if (fd >= 0) {
        ::close(fd);
    } else if (errno != EEXIST) {
        int saved = errno;
        throw Error("cannot open database '" + path + "': " + std::strerror(saved), SQLITE_CANTOPEN);
    }
    for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0) continue;  // a companion not made yet
        if ((st.st_mode & 0077) != 0 && ::chmod(file.c_str(), st.st_mode & 0700) != 0) {
            int saved = errno;
            throw Error("cannot restrict '" + file + "' to its owner: " + std::strerror(saved), SQLITE_PERM);
        }
    }
    return created;
}

// One connection with extended result codes; throws Error naming the file when it cannot open.
sqlite3* open_connection(const std::string& path, int flags) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database '" + path + "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        throw Error(message, rc);
    }
    sqlite3_extended_result_codes(db, 1);
    return db;
}

}  // namespace

bool Error::is_foreign_key_violation() const noexcept {
    // ON DELETE RESTRICT fires as SQLITE_CONSTRAINT_TRIGGER, not SQLITE_CONSTRAINT_FOREIGNKEY.
    return code_ == SQLITE_CONSTRAINT_FOREIGNKEY ||
           ((code_ & 0xff) == SQLITE_CONSTRAINT && std::string_view(what()).find("FOREIGN KEY") != std::string_view::npos);
}
bool Error::is_unique_violation() const noexcept {
    return code_ == SQLITE_CONSTRAINT_UNIQUE || code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Database::Database(const std::string& path) : path_(path) {
    // SQLite's memory statistics take a process-wide mutex on every allocation it makes (tens
    // per list request); nothing reads them. Only possible before SQLite initializes: later
    // calls fail harmlessly.
    static const bool configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
    (void)configured;
    const bool created = is_file(path) && restrict_to_owner(path);
    // A new file gets the empty database made at build time; apply_migrations then finds it up to
    // date (or, if the image is of an older version, makes the schema itself).
    if (created) write_empty_database(path);
    db_ = open_connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
    try {
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA foreign_keys = ON");
        if (is_file(path)) {
            // A file made just now is empty: switching it to WAL and creating the schema need
            // not wait for the disk (six fdatasyncs, tens of ms of start-up). A process crash
            // loses nothing (the OS has the writes); only a power loss in that moment could
            // leave a half-made new file.
            if (created) exec("PRAGMA synchronous = OFF");
            exec("PRAGMA journal_mode = WAL");
            if (!created) exec("PRAGMA synchronous = NORMAL");  // durable across process crashes in WAL mode
        }
        apply_migrations(*this);
        if (created) exec("PRAGMA synchronous = NORMAL");
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

Database::Lock::Lock(Database& db) : db_(&db) {
    if (db.owner_.load() == std::this_thread::get_id())
        throw Error("database lock taken twice on one thread (it is not recursive)", SQLITE_MISUSE);
    db.mutex_.lock();
    db.owner_.store(std::this_thread::get_id());
    // The connection's own (recursive) mutex, held for the whole operation: each sqlite3_column_*
    // and sqlite3_step call then re-enters it without an atomic operation (two per column read
    // were 10 % of a list request).
    if (db.db_) sqlite3_mutex_enter(sqlite3_db_mutex(db.db_));
}

Database::Lock::~Lock() {
    if (!db_) return;
    if (db_->db_) sqlite3_mutex_leave(sqlite3_db_mutex(db_->db_));
    db_->owner_.store(std::thread::id());
    db_->mutex_.unlock();
}

Database::~Database() {
    readers_.clear();  // before the main connection, which then checkpoints and removes the WAL
    if (db_) sqlite3_close_v2(db_);
}

Database::Database(const std::string& path, ReaderTag) : list_block_cache_(std::make_unique<ListBlockCache>()), path_(path) {
    db_ = open_connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX);
    sqlite3_busy_timeout(db_, 5000);
    try {
        exec("PRAGMA query_only = ON");  // reads only: every write goes through the main connection
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

// A reader connection and its statements; `in_use` is held by the lease that has it.
struct Database::ReadLease::Reader {
    std::mutex in_use;
    std::unique_ptr<Database> connection;
    std::unique_ptr<StatementCache> statements;
};

// At most this many reader connections: one per thread reading at the same moment (the serving
// threads); more readers wait for one.
constexpr std::size_t max_readers = 4;

Database::ReadLease::ReadLease(Database& db, StatementCache& fallback) {
    if (!is_file(db.path_) || !db.reader_connections_) {
        lock_.emplace(db);
        statements_ = &fallback;
        return;
    }
    bool owned = false;
    {
        std::lock_guard guard(db.readers_mutex_);
        for (auto& candidate : db.readers_)
            if (candidate->in_use.try_lock()) {
                reader_ = candidate.get();
                owned = true;
                break;
            }
        if (!reader_ && db.readers_.size() < max_readers) {
            auto made = std::make_unique<Reader>();
            made->connection.reset(new Database(db.path_, ReaderTag{}));
            made->connection->cipher_ = db.cipher_;
            made->statements = std::make_unique<StatementCache>(*made->connection);
            made->in_use.lock();
            owned = true;
            reader_ = made.get();
            db.readers_.push_back(std::move(made));
        }
        if (!reader_) reader_ = db.readers_[db.next_reader_++ % db.readers_.size()].get();
    }
    if (!owned) reader_->in_use.lock();
    statements_ = reader_->statements.get();
    // As Lock does: the connection's SQLite mutex once for the whole lease.
    sqlite3_mutex_enter(sqlite3_db_mutex(reader_->connection->db_));
    try {
        statements_->use("BEGIN")->run();  // deferred: the snapshot is taken by the first read
    } catch (...) {
        sqlite3_mutex_leave(sqlite3_db_mutex(reader_->connection->db_));
        reader_->in_use.unlock();
        throw;
    }
}

Database::ReadLease::~ReadLease() {
    if (!reader_) return;  // lock_ (":memory:") releases itself
    try {
        statements_->use("COMMIT")->run();  // ends the read transaction: nothing was written
    } catch (...) {
        // A read transaction that does not end is ended when the connection next begins one.
    }
    sqlite3_mutex_leave(sqlite3_db_mutex(reader_->connection->db_));
    reader_->in_use.unlock();
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string what = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error("SQL failed: " + what, sqlite3_extended_errcode(db_));
    }
}

void Database::checkpoint_truncate() {
    int log_frames = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &copied);
    if (rc != SQLITE_OK)
        throw Error("checkpointing '" + path_ + "' failed: " + std::string(sqlite3_errmsg(db_)) +
                        " (another process has the database open?)",
                    sqlite3_extended_errcode(db_));
}

std::uint32_t Database::data_version() {
    unsigned int version = 0;
    int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_DATA_VERSION, &version);
    if (rc != SQLITE_OK) throw Error("reading the data version failed: " + std::string(sqlite3_errstr(rc)), rc);
    return version;
}

int Database::user_version() {
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.integer(0));
}

std::int64_t Database::changes() { return sqlite3_changes64(db_); }

std::int64_t Database::total_changes() { return sqlite3_total_changes64(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0,
                                &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db.handle(), "prepare '" + std::string(sql) + "'", rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view value) {
    int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(db_.handle(), "bind", rc);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(db_.handle(), "bind", rc);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) fail(db_.handle(), "bind", rc);
    return *this;
}

Statement& Statement::bind_column(int index, const Statement& from, int column) {
    int rc = sqlite3_bind_value(stmt_, index, sqlite3_column_value(from.stmt_, column));
    if (rc != SQLITE_OK) fail(db_.handle(), "bind", rc);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_.handle(), "step", rc);
}

void Statement::run() {
    while (step()) {
    }
}

bool Statement::run_changed() {
    run();
    return db_.changes() > 0;
}

void Statement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
    const unsigned char* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

bool Statement::is_integer(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_INTEGER; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // Nothing more can be done; SQLite rolls back an open transaction on close anyway.
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

std::string Database::seal_key(std::string_view pem, std::string_view table, std::string_view column,
                               std::string_view row_id) const {
    if (!cipher_) return std::string(pem);
    return cipher_->seal(pem, key_associated_data(table, column, row_id));
}

std::optional<std::string> Database::seal_optional_key(const std::optional<std::string>& pem, std::string_view table,
                                              std::string_view column, std::string_view row_id) const {
    if (!pem) return std::nullopt;
    return seal_key(*pem, table, column, row_id);
}

std::string Database::open_key(std::string_view stored, std::string_view table, std::string_view column,
                               std::string_view row_id) const {
    if (!is_sealed_text(stored)) return std::string(stored);
    if (!cipher_) throw Error("an encrypted private key, and no key-encryption key configured", 0);
    try {
        return cipher_->open(stored, key_associated_data(table, column, row_id));
    } catch (const std::exception& e) {
        throw Error(std::string("private key ") + std::string(table) + "." + std::string(column) + " of row " +
                        std::string(row_id) + " does not open: " + e.what(),
                    0);
    }
}

std::optional<std::string> Database::open_optional_key(const std::optional<std::string>& stored, std::string_view table,
                                              std::string_view column, std::string_view row_id) const {
    if (!stored) return std::nullopt;
    return open_key(*stored, table, column, row_id);
}

}  // namespace storage
