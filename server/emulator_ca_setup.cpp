#include "server/emulator_ca_setup.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "api/emulator/emulator_ca.hpp"
#include "crypto/error.hpp"
#include "storage/emulator_ca_repository.hpp"
#include "storage/origin_ca_repository.hpp"

namespace server {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SetupError("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

crypto::CaMaterial load_emulator_ca(const Config& config, storage::Database& db,
                                    std::optional<crypto::CaMaterial> made_ahead) {
    std::optional<api::PinnedRoot> pinned;
    if (config.ca_dir) {
        std::string dir = *config.ca_dir;
        pinned = api::PinnedRoot{read_file(dir + "/root.pem"), read_file(dir + "/root.key")};
    }
    storage::EmulatorCaRepository repository(db);
    try {
        return api::load_or_create_emulator_ca(repository, pinned, std::chrono::system_clock::now(), std::move(made_ahead));
    } catch (const crypto::Error& e) {
        throw SetupError(std::string("test CA: ") + (config.ca_dir ? "--ca-dir " + *config.ca_dir + ": " : "") + e.what());
    }
}

api::OriginCaRoots load_origin_ca(storage::Database& db) {
    storage::OriginCaRepository repository(db);
    try {
        return api::load_or_create_origin_roots(repository, std::chrono::system_clock::now());
    } catch (const crypto::Error& e) {
        throw SetupError(std::string("Origin CA: ") + e.what());
    }
}

std::shared_ptr<const crypto::TrustStore> load_trust_store(const Config& config, const crypto::CaMaterial& ca) {
    try {
        return std::make_shared<crypto::TrustStore>(
            api::build_trust_store(ca, config.system_trust_bundle, config.trust_bundles));
    } catch (const crypto::Error& e) {
        throw SetupError(std::string("trust bundle: ") + e.what());
    }
}

}  // namespace server
