#include "storage/csr_lookup.hpp"

#include "storage/statement_cache.hpp"

namespace storage {

bool csr_exists(StatementCache& statements, Scope scope, const std::string& scope_id, const std::string& id) {
    auto s = statements.use("SELECT 1 FROM custom_csrs WHERE id = ? AND scope = ? AND scope_id = ?");
    s->bind(1, id).bind(2, scope_name(scope)).bind(3, scope_id);
    return s->step();
}

}  // namespace storage
