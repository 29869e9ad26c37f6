#pragma once
// Whether a scope has a CSR, for writes of other tables that must name one of their own zone's
// CSRs. The caller holds Database::lock() and has its transaction open, so the answer holds for
// its write; CsrRepository::exists is the locked form.
#include <string>

#include "storage/csr_repository.hpp"

namespace storage {

class StatementCache;

bool csr_exists(StatementCache& statements, Scope scope, const std::string& scope_id, const std::string& id);

}  // namespace storage
