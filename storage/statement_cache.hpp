#pragma once
// The prepared statements a repository owns, keyed by their SQL text: each is prepared on first
// use and reused after, rewound and its bindings cleared when the use ends. Callers hold
// Database::lock() while they use one, as for any statement.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/database.hpp"

namespace storage {

class StatementCache {
    struct Entry {
        std::unique_ptr<Statement> statement;
        bool busy = false;
    };

public:
    explicit StatementCache(Database& db) : db_(&db) {}

    // One use of a statement: rewinds it and clears its bindings when it goes.
    class Use {
    public:
        Statement& operator*() const noexcept { return *statement_; }
        Statement* operator->() const noexcept { return statement_; }
        ~Use();
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;

    private:
        friend class StatementCache;
        Use(Statement* cached, Entry* entry) : statement_(cached), entry_(entry) {}
        explicit Use(std::unique_ptr<Statement> own) : statement_(own.get()), own_(std::move(own)) {}
        Statement* statement_;
        Entry* entry_ = nullptr;
        std::unique_ptr<Statement> own_;
    };

    // A statement already in use (the same SQL run again before the first use ended) gets a
    // fresh one, so two uses never share a cursor.
    Use use(std::string_view sql);

private:
    Database* db_;
    std::unordered_map<std::string, Entry> entries_;  // nodes do not move, so Use may point in
};

}  // namespace storage
