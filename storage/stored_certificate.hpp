#pragma once
// A certificate as a customer uploaded it, with the facts read from its leaf at upload time.
#include <optional>
#include <string>
#include <vector>

namespace storage {

struct StoredCertificate {
    std::string chain_pem;                       // as uploaded (leaf and intermediates)
    std::optional<std::string> private_key_pem;  // only when uploaded with a key (not with a CSR)
    std::string issuer, serial_number, signature, fingerprint_sha256;
    std::string not_before, not_after;           // RFC 3339
    std::vector<std::string> hosts;              // the leaf's DNS names
};

class Statement;

// Both tables hold a certificate in the same nine cert_* columns, in this order: chain, private
// key, issuer, serial number, signature, not before, not after, hosts, SHA-256 fingerprint.
// Reads them from column `first` on (nullopt when the chain is NULL) ...
std::optional<StoredCertificate> read_certificate_columns(const Statement& row, int first);
// ... and binds them from parameter `first` on (NULLs when there is no certificate).
void bind_certificate_columns(Statement& statement, int first, const StoredCertificate* certificate);

// Hosts are kept one per line (a DNS name never holds a newline).
std::string join_lines(const std::vector<std::string>& items);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace storage
