#pragma once
// The emulator's own CA (users know it as the "test CA"): the customer's "CA" in the tutorial
// flow, so a CSR can become a certificate that uploads back without any real CA.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crypto {

struct CaMaterial {
    std::string root_certificate_pem, root_private_key_pem;
    std::string intermediate_certificate_pem, intermediate_private_key_pem;
};

// A new root ("CN=csr-emulator Test Root CA <suffix>", P-256, valid from now-1h for 20 years) and
// an intermediate ("CN=csr-emulator Test Intermediate CA <suffix>", P-256, from now-1h for 10
// years) signed by it. Both CA:TRUE (critical), keyCertSign+cRLSign (critical), SKI/AKI; pathlen 0
// on the intermediate. `suffix` is 8 random hex digits, shared by the pair.
CaMaterial create_emulator_ca(std::int64_t now);

// A new intermediate under an existing root (its validity is cut to the root's notAfter); the
// returned material holds the root certificate and key re-encoded. Throws crypto::Error if the key
// does not match the root certificate, the root is not a CA allowed to sign certificates, or its
// pathLenConstraint is 0.
CaMaterial create_intermediate(std::string_view root_certificate_pem, std::string_view root_private_key_pem,
                               std::int64_t now);

struct SignOptions {
    std::int64_t not_before = 0;    // unix seconds
    std::int64_t not_after = 0;
    std::string digest = "sha256";  // "sha256" | "sha384" | "sha1": tests need unsupported algorithms
};

// Issues a leaf for the CSR from the intermediate. Throws crypto::Error "CSR signature does not
// verify" for a bad self-signature, and for a CSR with neither DNS SANs nor a CN, not_after before
// not_before, or an unknown digest. The leaf copies the CSR's subject and DNS SANs (the CN as the
// only SAN when there are none), has a random positive serial of at most 16 bytes, critical
// basicConstraints CA:FALSE, critical keyUsage digitalSignature (+keyEncipherment for RSA keys),
// extendedKeyUsage serverAuth, SKI and AKI. Returns leaf PEM followed by intermediate PEM.
std::string sign_csr(const CaMaterial& ca, std::string_view csr_pem, const SignOptions& options);

// A self-signed leaf (CA:FALSE) for the key, CN = the first DNS name, every name as a DNS SAN.
std::string create_self_signed(std::string_view private_key_pem, const std::vector<std::string>& dns_names,
                               const SignOptions& options);

}  // namespace crypto
