#pragma once
// The emulator's test CA material, kept so the root stays the same across restarts.
#include <optional>
#include <string>

namespace storage {

class Database;

struct StoredTestCa {
    std::string root_fingerprint_sha256;
    std::string created_at;
    std::string root_certificate_pem;
    std::optional<std::string> root_private_key_pem;  // absent when the root comes from --ca-dir
    std::string intermediate_certificate_pem;
    std::string intermediate_private_key_pem;
};

class TestCaRepository {
public:
    explicit TestCaRepository(Database& db) : db_(db) {}

    std::optional<StoredTestCa> newest();
    std::optional<StoredTestCa> find(const std::string& root_fingerprint_sha256);
    void insert(const StoredTestCa& ca);

private:
    Database& db_;
};

}  // namespace storage
