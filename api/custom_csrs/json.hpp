#pragma once
// A custom CSR as the API shows it (the result of a create, a get, or an item of a list).
#include "api/json_writer.hpp"
#include "storage/csr_repository.hpp"

namespace api {

// Keys in sorted order, the bytes dump_json writes for the same object.
void write_custom_csr(JsonWriter& out, const storage::CustomCsr& csr);

}  // namespace api
