#pragma once
// The emulator's Origin CA: two self-signed roots (RSA and ECDSA, as Cloudflare's "Origin SSL"
// and "Origin SSL ECC" authorities) that sign customers' CSRs straight into origin
// certificates. Apart from the test CA: trusting one never trusts the other.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crypto {

enum class OriginRootKind { rsa, ecc };

struct OriginCaRoot {
    std::string certificate_pem, private_key_pem;
};

// A new root: RSA-2048 "CN=csr-emulator Origin SSL Certificate Authority <suffix>" or P-256
// "CN=csr-emulator Origin SSL ECC Certificate Authority <suffix>", O=csr-emulator, from now-1h for
// 20 years, CA:TRUE (critical), keyCertSign + cRLSign (critical), SKI.
OriginCaRoot create_origin_root(OriginRootKind kind, std::int64_t now);

enum class CsrKeyAlgorithm { rsa, ec, other };

struct OriginCsrFacts {
    CsrKeyAlgorithm algorithm = CsrKeyAlgorithm::other;
    int bits = 0;
    bool signature_valid = false;
};

// Throws crypto::Error when the text holds no parsable CSR.
OriginCsrFacts inspect_origin_csr(std::string_view csr_pem);

struct OriginCertificate {
    std::string certificate_pem;
    std::string serial_decimal;  // Cloudflare's certificate id: 48 digits
};

// Signs the CSR's key (its self-signature must verify, else crypto::Error) into a leaf as
// Cloudflare's Origin CA makes them: subject O=csr-emulator, OU=csr-emulator Origin CA,
// CN=csr-emulator Origin Certificate; the hostnames as DNS SANs; a random 159-bit serial;
// CA:FALSE, digitalSignature + keyEncipherment, serverAuth + clientAuth, SKI, AKI; SHA-256.
OriginCertificate issue_origin_certificate(const OriginCaRoot& root, std::string_view csr_pem,
                                           const std::vector<std::string>& hostnames, std::int64_t not_before,
                                           std::int64_t not_after);

}  // namespace crypto
