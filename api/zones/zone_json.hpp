#pragma once
#include <string>

#include "api/json_writer.hpp"
#include "storage/zone_repository.hpp"

namespace api {

// The zone as GET /zones/{id} shows it at `now` (RFC 3339, fixed width): what the schema requires
// and the TypeScript SDK's type reads. Pending until activated_on, which shows null until then.
void write_zone(JsonWriter& out, const storage::Zone& zone, const std::string& now);

}  // namespace api
