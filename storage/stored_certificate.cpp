#include "storage/stored_certificate.hpp"

#include "storage/database.hpp"

namespace storage {

std::optional<StoredCertificate> read_certificate_columns(const Statement& row, int first) {
    if (row.is_null(first)) return std::nullopt;
    StoredCertificate cert;
    cert.chain_pem = row.text(first);
    cert.private_key_pem = row.optional_text(first + 1);
    cert.issuer = row.text(first + 2);
    cert.serial_number = row.text(first + 3);
    cert.signature = row.text(first + 4);
    cert.not_before = row.text(first + 5);
    cert.not_after = row.text(first + 6);
    cert.hosts = split_lines(row.text(first + 7));
    cert.fingerprint_sha256 = row.text(first + 8);
    return cert;
}

void bind_certificate_columns(Statement& statement, int first, const StoredCertificate* cert) {
    if (!cert) {
        for (int i = 0; i < 9; ++i) statement.bind_null(first + i);
        return;
    }
    statement.bind(first, cert->chain_pem);
    statement.bind(first + 1, cert->private_key_pem);
    statement.bind(first + 2, cert->issuer);
    statement.bind(first + 3, cert->serial_number);
    statement.bind(first + 4, cert->signature);
    statement.bind(first + 5, cert->not_before);
    statement.bind(first + 6, cert->not_after);
    statement.bind(first + 7, join_lines(cert->hosts));
    statement.bind(first + 8, cert->fingerprint_sha256);
}

std::string join_lines(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        if (!text.empty()) text += '\n';
        text += item;
    }
    return text;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        items.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

}  // namespace storage
