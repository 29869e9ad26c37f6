#include "api/key_cipher.hpp"

#include "crypto/key_encryption.hpp"

namespace api {
namespace {

class AesGcmKeyCipher final : public storage::KeyCipher {
public:
    explicit AesGcmKeyCipher(crypto::KeyEncryptionKey key) : key_(std::move(key)) {}
    std::string seal(std::string_view plaintext, std::string_view associated_data) const override {
        return key_.seal(plaintext, associated_data);
    }
    std::string open(std::string_view sealed, std::string_view associated_data) const override {
        return key_.open(sealed, associated_data);
    }

private:
    crypto::KeyEncryptionKey key_;
};

}  // namespace

std::shared_ptr<const storage::KeyCipher> make_key_cipher(std::string_view key_text) {
    return std::make_shared<AesGcmKeyCipher>(crypto::KeyEncryptionKey::from_text(key_text));
}

}  // namespace api
