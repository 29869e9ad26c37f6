#pragma once
// A custom certificate as the API shows it (a create, a get, an edit, or an item of a list).
#include <string>

#include "api/json_writer.hpp"
#include "storage/certificate_repository.hpp"

namespace api {

// Keys in sorted order, the bytes dump_json writes for the same object. `now` (RFC 3339
// seconds) decides the status: expired from the notAfter second on.
void write_custom_certificate(JsonWriter& out, const storage::CustomCertificate& c, const std::string& now);

}  // namespace api
