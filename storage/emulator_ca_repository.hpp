#pragma once
// The emulator's own CA (the "test CA" users sign with), kept so the root stays the same across
// restarts.
#include <optional>
#include <string>

namespace storage {

class Database;

struct StoredEmulatorCa {
    std::string root_fingerprint_sha256;
    std::string created_at;
    std::string root_certificate_pem;
    std::optional<std::string> root_private_key_pem;  // absent when the root comes from --ca-dir
    std::string intermediate_certificate_pem;
    std::string intermediate_private_key_pem;
};

// Used once at start, so its statements are not cached.
class EmulatorCaRepository {
public:
    explicit EmulatorCaRepository(Database& db) : db_(db) {}

    std::optional<StoredEmulatorCa> newest();
    std::optional<StoredEmulatorCa> find(const std::string& root_fingerprint_sha256);
    void insert(const StoredEmulatorCa& ca);

private:
    Database& db_;
};

}  // namespace storage
