#pragma once
// The certificates Cloudflare issues for a custom hostname once DCV passes: one ECDSA P-256
// (primary) and one RSA-2048 (fallback), 90 days, for the hostname alone. Here the emulator's
// test CA plays the public CA; the keys are made here and stay with the emulator.
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/emulator_ca.hpp"

namespace crypto {

struct IssuedCertificate {
    std::string chain_pem;        // leaf, then the intermediate
    std::string private_key_pem;  // PKCS#8
    // The leaf's facts as the ssl object shows them.
    std::string issuer;           // issuer O if present, else CN (see CertificateDetails)
    std::string serial_number;    // decimal
    std::string signature;        // "ECDSAWithSHA256" for both (the test CA's key is P-256)
    std::int64_t not_before = 0, not_after = 0;  // unix seconds
    std::vector<std::string> hosts;
    std::string fingerprint_sha256;  // lowercase hex
};

struct DvCertificates {
    IssuedCertificate ecdsa;  // P-256
    IssuedCertificate rsa;    // RSA-2048
};

inline constexpr std::int64_t dv_lifetime_seconds = 90 * 86400;

// Subject CN = hostname, one DNS SAN = hostname, serverAuth, a 128-bit random serial from
// OpenSSL's CSPRNG, valid from `now` for 90 days. Throws crypto::Error (e.g. for a CA whose key
// does not match, or a non-ASCII hostname). Generating the RSA key takes tens to hundreds of
// milliseconds: call it off the socket threads.
DvCertificates issue_dv_certificates(const CaMaterial& ca, const std::string& hostname, std::int64_t now);

// The same with keys made elsewhere (a P-256 and an RSA-2048 PEM, e.g. the RSA one from a pool
// of keys made off the socket threads): only signing happens here, well under a millisecond.
// Throws crypto::Error when a key does not parse or is not of its kind.
DvCertificates issue_dv_certificates(const CaMaterial& ca, const std::string& hostname, std::int64_t now,
                                     const std::string& ecdsa_key_pem, const std::string& rsa_key_pem);
// The same for several names (a hostname and its wildcard, a certificate pack's hosts): CN the
// first, each a DNS SAN; valid for `lifetime_seconds` (a pack's validity_days).
DvCertificates issue_dv_certificates(const CaMaterial& ca, const std::vector<std::string>& names, std::int64_t now,
                                     const std::string& ecdsa_key_pem, const std::string& rsa_key_pem,
                                     std::int64_t lifetime_seconds = dv_lifetime_seconds);

}  // namespace crypto
