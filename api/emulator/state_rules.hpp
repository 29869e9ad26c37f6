#pragma once
// The rules a seeded state must keep: what the API itself would have stored. read_state_document
// checks a document's shape against the schema; these check its meaning, column by column and
// row by row, before anything is written: JSON text columns parse (bounded) to the type the API
// stores, PEMs parse and keys match their CSR or certificate, timestamps are in the columns'
// format and range, statuses are the lifecycle's, counters are not negative, names pass the API's
// name rules, references stay in their zone, and UNIQUE rules hold. A seed that passes cannot
// crash or wedge a later request, and the database never has to refuse it.
#include <vector>

#include "storage/state_repository.hpp"

namespace api::emulator {

// `tables` as read_state_document returns them (the SANs as rows of custom_csr_sans). Throws
// ApiError(invalid_control_request) whose message starts with the JSON pointer of the first
// problem, in document order, e.g. "/custom_hostnames/0/ssl_settings: nested deeper than 64
// levels". Tables the rules do not know pass as they are.
void check_state_rules(const std::vector<storage::TableRows>& tables);

}  // namespace api::emulator
