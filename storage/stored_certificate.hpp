#pragma once
// A certificate as a customer uploaded it, with the facts read from its leaf at upload time.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sql_columns.hpp"

namespace storage {

struct StoredCertificate {
    std::string chain_pem;                       // as uploaded (leaf and intermediates)
    std::optional<std::string> private_key_pem;  // only when uploaded with a key (not with a CSR)
    std::string issuer, serial_number, signature, fingerprint_sha256;
    std::string not_before, not_after;           // RFC 3339
    std::vector<std::string> hosts;              // the leaf's DNS names
};

class Statement;

// Both tables hold a certificate in the same nine cert_* columns, the last of their rows.
inline constexpr sql::Columns<9> certificate_columns = {
    "cert_chain_pem", "cert_private_key_pem", "cert_issuer",     "cert_serial_number", "cert_signature",
    "cert_not_before", "cert_not_after",     "cert_hosts",      "cert_fingerprint_sha256"};

// Reads them from column `first` (where cert_chain_pem is) on (nullopt when the chain is NULL) ...
// The private key is opened (or sealed, below) for `table`'s row `row_id` (storage/key_cipher.hpp).
std::optional<StoredCertificate> read_certificate_columns(const Statement& row, int first, std::string_view table,
                                                          const std::string& row_id);
// ... and binds them from parameter `first` (cert_chain_pem's) on (NULLs when there is none).
void bind_certificate_columns(Statement& statement, int first, const StoredCertificate* certificate,
                              std::string_view table, const std::string& row_id);

// Hosts are kept one per line (a DNS name never holds a newline).
std::string join_lines(const std::vector<std::string>& items);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace storage
