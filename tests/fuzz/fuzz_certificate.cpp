// PEM certificate chains and private keys through the upload checks. The first byte chooses the
// options (trust skipped or not, a hostname to cover, an expected key); the rest splits at the
// first NUL into the chain and a private key PEM.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/certificate.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"

namespace {

constexpr std::int64_t fixed_now = 1796083200;  // 2026-11-30T00:00:00Z, as service_harness.hpp

const crypto::TrustStore& trust() {
    static const crypto::TrustStore store = [] {
        crypto::TrustStore s;
        auto ca = crypto::create_emulator_ca(fixed_now - 86400);
        s.add_pem(ca.root_certificate_pem);
        return s;
    }();
    return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t flags = data[0];
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto split = rest.find('\0');
    std::string_view chain = rest.substr(0, split);
    std::string_view key = split == std::string_view::npos ? std::string_view{} : rest.substr(split + 1);

    crypto::CertificateCheck check;
    check.chain_pem = chain;
    check.skip_trust = flags & 1;
    check.now = fixed_now;
    if (flags & 2) check.hostnames = {"app.acme.io"};
    if (flags & 4) check.hostnames.push_back("*.acme.io");
    if (!key.empty()) {
        try {
            check.expected_public_key_pem = crypto::public_key_of_private_key(key);
            (void)crypto::key_type_of_private_key(key);
        } catch (const crypto::Error&) {
            // An unparsable key is the upload's 1xxx refusal, not a crash.
        }
    }
    auto verdict = crypto::check_certificate(check, trust());
    if (verdict.leaf) (void)crypto::name_covered(verdict.leaf->dns_names, "www.acme.io");
    if (flags & 8) {
        try {
            (void)crypto::parse_certificates(chain);
        } catch (const crypto::Error&) {
        }
    }
    return 0;
}
