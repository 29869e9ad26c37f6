#pragma once
// Private keys at rest. storage/ never sees OpenSSL: it takes a KeyCipher (implemented over
// crypto/'s AES-256-GCM by the layer that owns both) and calls it on every private-key column it
// writes or reads. The associated data names the table, the column and the row, so a sealed key
// moved to another row or column does not open.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace storage {

class Database;

class KeyCipher {
public:
    virtual ~KeyCipher() = default;
    virtual std::string seal(std::string_view plaintext, std::string_view associated_data) const = 0;
    // Throws (any std::exception) when the value does not open under this key.
    virtual std::string open(std::string_view sealed, std::string_view associated_data) const = 0;
};

// What a sealed value starts with ("enc:v1:…"); plaintext keys start with "-----BEGIN".
bool is_sealed_text(std::string_view stored) noexcept;

// "table.column:row_id": what every sealed key authenticates.
std::string key_associated_data(std::string_view table, std::string_view column, std::string_view row_id);

// The private-key columns, with the column naming their row: every one is sealed when a cipher is
// set. A new key column belongs here (and in the migration test).
struct KeyColumn {
    std::string_view table, column, row_id_column;
};
inline constexpr KeyColumn key_columns[] = {
    {"custom_csrs", "private_key_pem", "id"},
    {"custom_hostnames", "cert_private_key_pem", "id"},
    {"custom_hostnames", "dv_ecdsa_private_key_pem", "id"},
    {"custom_hostnames", "dv_rsa_private_key_pem", "id"},
    {"custom_certificates", "cert_private_key_pem", "id"},
    {"test_ca", "root_private_key_pem", "root_fingerprint_sha256"},
    {"test_ca", "intermediate_private_key_pem", "root_fingerprint_sha256"},
};

class KeyProtectionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// At start, before serving. With a cipher: a database that has a key check value must open it
// (else KeyProtectionError: a wrong key is never served); one without (written with no key) has
// every plaintext key sealed in place and the check value stored, in one transaction. Without a
// cipher: a database with a check value is refused (its keys cannot be read). Returns the number
// of keys sealed by the migration. Sets the cipher on the database for later reads and writes.
int protect_keys(Database& db, std::shared_ptr<const KeyCipher> cipher);

}  // namespace storage
