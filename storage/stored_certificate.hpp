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

// Hosts are kept one per line (a DNS name never holds a newline).
std::string join_lines(const std::vector<std::string>& items);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace storage
