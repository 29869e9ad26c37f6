#include "storage/statement_cache.hpp"

namespace storage {

StatementCache::Use::~Use() {
    statement_->reset();
    if (entry_) entry_->busy = false;
}

StatementCache::Use StatementCache::use(std::string_view sql) {
    auto [at, added] = entries_.try_emplace(std::string(sql));
    Entry& entry = at->second;
    if (entry.busy) return Use(std::make_unique<Statement>(*db_, sql));
    if (!entry.statement) {
        try {
            entry.statement = std::make_unique<Statement>(*db_, sql);
        } catch (...) {
            entries_.erase(at);  // SQL that does not prepare is not kept
            throw;
        }
    }
    entry.busy = true;
    return Use(entry.statement.get(), &entry);
}

}  // namespace storage
