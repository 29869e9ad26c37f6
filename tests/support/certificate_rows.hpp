#pragma once
// A stored certificate for the storage tests: every required field set, a placeholder chain that
// names its fingerprint (storage never parses it), and no private key (the caller adds one for a
// certificate over a key of its own).
#include <string>

#include "storage/stored_certificate.hpp"

namespace test_support {

inline storage::StoredCertificate make_certificate(const std::string& fingerprint) {
    storage::StoredCertificate cert;
    cert.chain_pem = "-----BEGIN CERTIFICATE-----\n" + fingerprint + "\n-----END CERTIFICATE-----\n";
    cert.issuer = "csr-emulator Test Intermediate CA";
    cert.serial_number = "12345";
    cert.signature = "ECDSAWithSHA256";
    cert.fingerprint_sha256 = fingerprint;
    cert.not_before = "2026-01-01T00:00:00Z";
    cert.not_after = "2026-04-01T00:00:00Z";
    cert.hosts = {"app.acme.io", "www.acme.io"};
    return cert;
}

}  // namespace test_support
