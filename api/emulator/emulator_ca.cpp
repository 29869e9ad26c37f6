#include "api/emulator/emulator_ca.hpp"

#include <chrono>
#include <filesystem>

#include "storage/emulator_ca_repository.hpp"

namespace api {
namespace {

std::int64_t unix_seconds(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string fingerprint_of(const std::string& certificate_pem) {
    return crypto::parse_certificates(certificate_pem).front().fingerprint_sha256;
}

}  // namespace

crypto::CaMaterial load_or_create_emulator_ca(storage::EmulatorCaRepository& repository, const std::optional<PinnedRoot>& pinned,
                                          TimePoint now, std::optional<crypto::CaMaterial> made_ahead) {
    if (pinned) {
        std::string fingerprint = fingerprint_of(pinned->certificate_pem);
        if (auto stored = repository.find(fingerprint)) {
            return {pinned->certificate_pem, pinned->private_key_pem, stored->intermediate_certificate_pem,
                    stored->intermediate_private_key_pem};
        }
        auto ca = crypto::create_intermediate(pinned->certificate_pem, pinned->private_key_pem, unix_seconds(now));
        // The pinned root's key stays in the team's files, not in the database.
        repository.insert({fingerprint, rfc3339_micros(now), ca.root_certificate_pem, std::nullopt,
                           ca.intermediate_certificate_pem, ca.intermediate_private_key_pem});
        return ca;
    }
    if (auto stored = repository.newest(); stored && stored->root_private_key_pem) {
        return {stored->root_certificate_pem, *stored->root_private_key_pem, stored->intermediate_certificate_pem,
                stored->intermediate_private_key_pem};
    }
    auto ca = made_ahead ? std::move(*made_ahead) : crypto::create_emulator_ca(unix_seconds(now));
    repository.insert({fingerprint_of(ca.root_certificate_pem), rfc3339_micros(now), ca.root_certificate_pem,
                       ca.root_private_key_pem, ca.intermediate_certificate_pem, ca.intermediate_private_key_pem});
    return ca;
}

crypto::TrustStore build_trust_store(const crypto::CaMaterial& ca, const std::string& system_bundle,
                                     const std::vector<std::string>& extra_bundles) {
    crypto::TrustStore trust;
    trust.add_pem(ca.root_certificate_pem);
    std::error_code ec;
    // The system bundle (150 roots, tens of ms) is read on first use; the server reads it right
    // after it starts listening, uploads wait for it if they come first.
    if (!system_bundle.empty() && std::filesystem::exists(system_bundle, ec))
        trust.add_bundle_file_on_first_use(system_bundle);
    for (const auto& bundle : extra_bundles) trust.add_bundle_file(bundle);
    return trust;
}

std::string sign_with_emulator_ca(const crypto::CaMaterial& ca, const std::string& csr_pem, int days, TimePoint now) {
    crypto::SignOptions options;
    // Back-dated a minute, so a certificate used at once is valid on clocks slightly behind.
    options.not_before = unix_seconds(now) - 60;
    options.not_after = unix_seconds(now) + std::int64_t{days} * 86400;
    return crypto::sign_csr(ca, csr_pem, options);
}

}  // namespace api
