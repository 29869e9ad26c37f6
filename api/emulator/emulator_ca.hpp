#pragma once
// The emulator's test CA (the customer's CA of the tutorial, offline) and the roots uploads are
// checked against: the test root, the system roots and any --trust-bundle files.
#include <optional>
#include <string>
#include <vector>

#include "api/time_text.hpp"
#include "crypto/certificate.hpp"
#include "crypto/emulator_ca.hpp"

namespace storage {
class EmulatorCaRepository;
}

namespace api {

// A fixed root the team pins (--ca-dir DIR: DIR/root.pem + DIR/root.key).
struct PinnedRoot {
    std::string certificate_pem, private_key_pem;
};

// The stored CA; on first start (or for a newly pinned root) a new one, stored at once so the
// root is the same after a restart. Throws crypto::Error for a pinned root that is unusable.
// `made_ahead`: a CA created before the database was open (start-up makes one beside a new
// database's schema); stored and used only when the database holds none and no root is pinned.
crypto::CaMaterial load_or_create_emulator_ca(storage::EmulatorCaRepository& repository, const std::optional<PinnedRoot>& pinned,
                                          TimePoint now, std::optional<crypto::CaMaterial> made_ahead = std::nullopt);

// The test root, then every certificate of the system bundle (skipped when the path is empty or
// the file is absent) and of each extra bundle (an unreadable extra bundle throws crypto::Error).
crypto::TrustStore build_trust_store(const crypto::CaMaterial& ca, const std::string& system_bundle,
                                     const std::vector<std::string>& extra_bundles);

// The chain a CA hands out for a CSR: leaf + intermediate PEM, valid `days` days from now.
std::string sign_with_emulator_ca(const crypto::CaMaterial& ca, const std::string& csr_pem, int days, TimePoint now);

inline constexpr int default_certificate_days = 90;
inline constexpr int max_certificate_days = 3650;

}  // namespace api
