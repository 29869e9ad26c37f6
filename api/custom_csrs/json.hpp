#pragma once
// A custom CSR as the API shows it (the result of a create, a get, or an item of a list).
#include "api/json_writer.hpp"
#include "storage/csr_repository.hpp"

namespace api {

// Keys in sorted order, the bytes dump_json writes for the same object. Its output is stored with
// each new CSR (storage migration 9) and shown as is from then on: a change to what it writes
// needs a migration that clears the stored copies.
void write_custom_csr(JsonWriter& out, const storage::CustomCsr& csr);
// The stored JSON when there is one, else the fields through write_custom_csr.
void write_shown_csr(JsonWriter& out, const storage::ShownCsr& csr);

}  // namespace api
