#include "storage/test_ca_repository.hpp"

#include "storage/database.hpp"

namespace storage {
namespace {

constexpr const char* columns =
    "root_fingerprint_sha256, created_at, root_certificate_pem, root_private_key_pem, intermediate_certificate_pem, "
    "intermediate_private_key_pem";

StoredTestCa read_row(const Statement& s) {
    return StoredTestCa{s.text(0), s.text(1), s.text(2), s.optional_text(3), s.text(4), s.text(5)};
}

}  // namespace

std::optional<StoredTestCa> TestCaRepository::newest() {
    auto lock = db_.lock();
    Statement s(db_, std::string("SELECT ") + columns + " FROM test_ca ORDER BY created_at DESC LIMIT 1");
    if (!s.step()) return std::nullopt;
    return read_row(s);
}

std::optional<StoredTestCa> TestCaRepository::find(const std::string& root_fingerprint_sha256) {
    auto lock = db_.lock();
    Statement s(db_, std::string("SELECT ") + columns + " FROM test_ca WHERE root_fingerprint_sha256 = ?");
    s.bind(1, root_fingerprint_sha256);
    if (!s.step()) return std::nullopt;
    return read_row(s);
}

void TestCaRepository::insert(const StoredTestCa& ca) {
    auto lock = db_.lock();
    Statement s(db_, "INSERT INTO test_ca (root_fingerprint_sha256, created_at, root_certificate_pem, root_private_key_pem, "
                     "intermediate_certificate_pem, intermediate_private_key_pem) VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, ca.root_fingerprint_sha256)
        .bind(2, ca.created_at)
        .bind(3, ca.root_certificate_pem)
        .bind(4, ca.root_private_key_pem)
        .bind(5, ca.intermediate_certificate_pem)
        .bind(6, ca.intermediate_private_key_pem);
    s.run();
}

}  // namespace storage
