#pragma once
// What custom hostnames and custom certificates share when a customer uploads a certificate:
// the check against the trust store, the CSR's or the uploaded key, and the hostnames; and the
// facts kept from the leaf. Each resource maps a problem to its own error code.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/errors.hpp"
#include "crypto/certificate.hpp"
#include "storage/stored_certificate.hpp"

namespace api {

struct UploadCheck {
    std::string chain_pem;
    std::string expected_public_key_pem;  // of the custom CSR, or of the uploaded private key
    std::vector<std::string> hostnames;   // each must be covered by the leaf
    bool skip_trust = false;              // bundle_method "force": Cloudflare's "user defined"
};

// Cloudflare's upload rules (its "uploading custom certificates" page): RSA keys of at least 2048
// bits, ECDSA of at least 225, and no certificate that expires within 14 days.
inline constexpr int upload_min_rsa_bits = 2048;
inline constexpr int upload_min_ec_bits = 225;
inline constexpr std::int64_t upload_min_remaining_seconds = 14 * 24 * 60 * 60;

crypto::CertificateVerdict check_upload(const Context& context, const UploadCheck& check);

// For expired, not_yet_valid and expires_soon (whose time crypto/ gives as the leaf's numbers),
// the detail names it in the API's format: "certificate expired at 2025-12-31T00:00:00Z",
// "certificate is valid from …", "certificate expires at …". check_upload() applies it.
void describe_validity(crypto::CertificateVerdict& verdict);

// The leaf's facts as stored with the hostname or certificate.
storage::StoredCertificate to_stored(const crypto::CertificateVerdict& verdict, const std::string& chain_pem,
                                     const std::optional<std::string>& private_key_pem);

// The public key an uploaded certificate must carry: that of the zone's custom CSR `csr_id`, else
// that of the uploaded `private_key`. Each resource has its own codes for a CSR the zone does not
// have and for a private key that is missing or cannot be read.
struct KeyErrors {
    const ErrorSpec& csr_not_found;
    const ErrorSpec& key_unusable;
    std::string_view key_missing_message;
};
std::string expected_public_key(Context& context, const std::string& zone_id, const std::optional<std::string>& csr_id,
                                const std::optional<std::string>& private_key, const KeyErrors& errors);


}  // namespace api
