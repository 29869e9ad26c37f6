#include "storage/stored_certificate.hpp"

#include "storage/database.hpp"

namespace storage {
namespace {

consteval int at(std::string_view name) { return sql::index_of(certificate_columns, name); }

}  // namespace

std::optional<StoredCertificate> read_certificate_columns(const Statement& row, int first, std::string_view table,
                                                          const std::string& row_id) {
    if (row.is_null(first + at("cert_chain_pem"))) return std::nullopt;
    StoredCertificate cert;
    cert.chain_pem = row.text(first + at("cert_chain_pem"));
    cert.private_key_pem = row.database().open_optional_key(row.optional_text(first + at("cert_private_key_pem")), table,
                                                   "cert_private_key_pem", row_id);
    cert.issuer = row.text(first + at("cert_issuer"));
    cert.serial_number = row.text(first + at("cert_serial_number"));
    cert.signature = row.text(first + at("cert_signature"));
    cert.not_before = row.text(first + at("cert_not_before"));
    cert.not_after = row.text(first + at("cert_not_after"));
    cert.hosts = split_lines(row.text(first + at("cert_hosts")));
    cert.fingerprint_sha256 = row.text(first + at("cert_fingerprint_sha256"));
    return cert;
}

void bind_certificate_columns(Statement& statement, int first, const StoredCertificate* cert, std::string_view table,
                              const std::string& row_id) {
    if (!cert) {
        for (std::size_t i = 0; i < certificate_columns.size(); ++i) statement.bind_null(first + static_cast<int>(i));
        return;
    }
    statement.bind(first + at("cert_chain_pem"), cert->chain_pem);
    statement.bind(first + at("cert_private_key_pem"),
                   statement.database().seal_optional_key(cert->private_key_pem, table, "cert_private_key_pem", row_id));
    statement.bind(first + at("cert_issuer"), cert->issuer);
    statement.bind(first + at("cert_serial_number"), cert->serial_number);
    statement.bind(first + at("cert_signature"), cert->signature);
    statement.bind(first + at("cert_not_before"), cert->not_before);
    statement.bind(first + at("cert_not_after"), cert->not_after);
    statement.bind(first + at("cert_hosts"), join_lines(cert->hosts));
    statement.bind(first + at("cert_fingerprint_sha256"), cert->fingerprint_sha256);
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
