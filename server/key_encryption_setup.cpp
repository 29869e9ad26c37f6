#include "server/key_encryption_setup.hpp"

#include <fstream>
#include <sstream>

#include "crypto/key_cipher.hpp"
#include "storage/database.hpp"
#include "storage/key_cipher.hpp"

namespace server {

int setup_key_encryption(const Config& config, storage::Database& db) {
    std::shared_ptr<const storage::KeyCipher> cipher;
    std::string text;
    if (config.key_encryption_key_file) {
        std::ifstream in(*config.key_encryption_key_file, std::ios::binary);
        if (!in) throw KeySetupError("cannot read --key-encryption-key-file '" + *config.key_encryption_key_file + "'");
        std::ostringstream content;
        content << in.rdbuf();
        text = content.str();
    } else if (config.key_encryption_key) {
        text = *config.key_encryption_key;
    }
    if (config.key_encryption_key_file || config.key_encryption_key) {
        try {
            cipher = std::make_shared<const storage::KeyCipher>(crypto::KeyCipher::from_text(text));
        } catch (const std::exception& e) {
            throw KeySetupError(std::string(config.key_encryption_key_file ? "--key-encryption-key-file: "
                                                                           : "CSR_EMULATOR_KEY_ENCRYPTION_KEY: ") +
                                e.what());
        }
    }
    try {
        return storage::protect_keys(db, std::move(cipher));
    } catch (const storage::KeyProtectionError& e) {
        throw KeySetupError(e.what());
    }
}

}  // namespace server
