#pragma once
// The state document of GET/PUT /_emulator/state: one JSON object with an array per customer
// table, e.g. {"schema_version":3,"custom_csrs":[{…,"sans":["a.example"]}],"custom_hostnames":[…],
// "custom_certificates":[…]}. Rows carry the stored columns under their column names; a CSR's
// SANs are nested as "sans". Private keys (columns named *private_key*) only when asked.
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/state_repository.hpp"

namespace api::emulator {

nlohmann::json state_document(const std::vector<storage::TableSchema>& schema,
                              const std::vector<storage::TableRows>& tables, int schema_version,
                              bool include_private_keys);

// Validates the whole document before anything is written and returns the rows to import:
// its shape against the schema, then its meaning (api/emulator/state_rules.hpp). The first
// problem throws ApiError(400/1400) whose message starts with its JSON pointer, e.g.
// "/custom_csrs/3/sans/0: must be a string".
std::vector<storage::TableRows> read_state_document(const nlohmann::json& document,
                                                    const std::vector<storage::TableSchema>& schema,
                                                    int schema_version);

}  // namespace api::emulator
