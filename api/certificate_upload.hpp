#pragma once
// What custom hostnames and custom certificates share when a customer uploads a certificate:
// the check against the trust store, the CSR's or the uploaded key, and the hostnames; and the
// facts kept from the leaf. Each resource maps a problem to its own error code.
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "crypto/certificate.hpp"
#include "storage/stored_certificate.hpp"

namespace api {

struct UploadCheck {
    std::string chain_pem;
    std::string expected_public_key_pem;  // of the custom CSR, or of the uploaded private key
    std::vector<std::string> hostnames;   // each must be covered by the leaf
    bool skip_trust = false;              // bundle_method "force": Cloudflare's "user defined"
};

crypto::CertificateVerdict check_upload(const Context& context, const UploadCheck& check);

// The leaf's facts as stored with the hostname or certificate.
storage::StoredCertificate to_stored(const crypto::CertificateVerdict& verdict, const std::string& chain_pem,
                                     const std::optional<std::string>& private_key_pem);

// The public key a custom CSR of this zone was made for, or nullopt when the zone has no such CSR.
std::optional<std::string> zone_csr_public_key(Context& context, const std::string& zone_id, const std::string& csr_id);

std::string unix_to_rfc3339(std::int64_t seconds);

}  // namespace api
