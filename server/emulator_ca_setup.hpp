#pragma once
// The emulator CA (the "test CA" users see) and the trust store the configuration asks for,
// shared by serving and `ca sign`.
#include <optional>
#include <memory>
#include <stdexcept>

#include "api/origin_ca/roots.hpp"
#include "crypto/certificate.hpp"
#include "crypto/emulator_ca.hpp"
#include "server/config.hpp"

namespace storage {
class Database;
}

namespace server {

struct SetupError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The stored emulator CA, or the --ca-dir root (DIR/root.pem + DIR/root.key) with its intermediate;
// created on first use (`made_ahead`, when given, is the one a new database gets). Throws
// SetupError with a message naming the file or problem.
crypto::CaMaterial load_emulator_ca(const Config& config, storage::Database& db,
                                    std::optional<crypto::CaMaterial> made_ahead = std::nullopt);

// The Origin CA's RSA and ECC roots, made on first start and kept. Throws SetupError.
api::OriginCaRoots load_origin_ca(storage::Database& db);

// The test root + system roots + --trust-bundle files. Throws SetupError naming a bad bundle.
std::shared_ptr<const crypto::TrustStore> load_trust_store(const Config& config, const crypto::CaMaterial& ca);

}  // namespace server
