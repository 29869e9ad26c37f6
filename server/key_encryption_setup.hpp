#pragma once
// Start-up for private keys at rest: read the key-encryption key the configuration names, then
// check it against the database (or migrate a database written without one).
#include <stdexcept>

#include "server/config.hpp"

namespace storage {
class Database;
}

namespace server {

class KeySetupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Returns the number of plaintext keys it encrypted (a database written without a key). Throws
// KeySetupError with a message for the operator: an unreadable or malformed key, a wrong key, or
// an encrypted database started without its key.
int setup_key_encryption(const Config& config, storage::Database& db);

}  // namespace server
