#pragma once
// A certificate pack as Cloudflare answers it, from the stored row (settled before it is shown).
#include <nlohmann/json_fwd.hpp>

#include "storage/certificate_pack_repository.hpp"

namespace api {

nlohmann::json certificate_pack_json(const storage::CertificatePack& pack);

// What the customer publishes to validate the pack: one record per host (TXT at
// _acme-challenge.<host>, an HTTP token, or the addresses email DCV writes to), the same records
// a custom hostname's certificate shows, from the pack's token.
nlohmann::json pack_validation_records(const storage::CertificatePack& pack);

// Whether validation records are shown: while the CA waits for them (not in the order answer,
// where the pack is initializing, nor once it is active).
bool shows_validation_records(const storage::CertificatePack& pack);

}  // namespace api
