#pragma once
// Private keys at rest. The cipher is crypto::KeyCipher (AES-256-GCM, crypto/key_cipher.hpp);
// storage/ never sees OpenSSL, so it holds that one cipher by its two operations and calls them on
// every private-key column it writes or reads. The associated data names the table, the column and
// the row, so a sealed key moved to another row or column does not open.
#include <concepts>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace storage {

class Database;

// What storage/ needs of a cipher (crypto::KeyCipher has it; so does a test's stand-in).
template <class Cipher>
concept SealsKeys = requires(const Cipher& cipher, std::string_view text, std::string_view associated_data) {
    { cipher.seal(text, associated_data) } -> std::convertible_to<std::string>;
    { cipher.open(text, associated_data) } -> std::convertible_to<std::string>;
};

// The key cipher as storage/ holds it: built by the layer that sees both, e.g.
// storage::KeyCipher(crypto::KeyCipher::from_text(text)). Not a second cipher: no interface to
// implement, no adapter class, just the one cipher's seal and open.
class KeyCipher {
public:
    template <SealsKeys Cipher>
    explicit KeyCipher(Cipher cipher) {
        auto held = std::make_shared<const Cipher>(std::move(cipher));
        seal_ = [held](std::string_view text, std::string_view ad) { return std::string(held->seal(text, ad)); };
        open_ = [held](std::string_view text, std::string_view ad) { return std::string(held->open(text, ad)); };
    }
    std::string seal(std::string_view plaintext, std::string_view associated_data) const {
        return seal_(plaintext, associated_data);
    }
    // Throws (any std::exception) when the value does not open under this key.
    std::string open(std::string_view sealed, std::string_view associated_data) const {
        return open_(sealed, associated_data);
    }

private:
    std::function<std::string(std::string_view, std::string_view)> seal_, open_;
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
    {"origin_ca_roots", "private_key_pem", "kind"},
    {"certificate_packs", "ecdsa_private_key_pem", "id"},
    {"certificate_packs", "rsa_private_key_pem", "id"},
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
