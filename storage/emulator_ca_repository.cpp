#include "storage/emulator_ca_repository.hpp"

#include "storage/database.hpp"
#include "storage/row_fields.hpp"

namespace storage {
namespace {

// The table keeps the name it shipped with (migrations are never edited).
constexpr sql::Columns<6> columns = {"root_fingerprint_sha256",      "created_at",
                                     "root_certificate_pem",         "root_private_key_pem",
                                     "intermediate_certificate_pem", "intermediate_private_key_pem"};

consteval int col(std::string_view name) { return sql::index_of(columns, name); }
consteval int param(std::string_view name) { return sql::parameter_of(columns, name); }

const std::string select_sql = sql::select("test_ca", columns);

StoredEmulatorCa read_row(const Statement& s) {
    StoredEmulatorCa ca;
    ca.root_fingerprint_sha256 = s.text(col("root_fingerprint_sha256"));
    ca.created_at = s.text(col("created_at"));
    ca.root_certificate_pem = s.text(col("root_certificate_pem"));
    const auto& id = ca.root_fingerprint_sha256;
    ca.root_private_key_pem =
        s.database().open_optional_key(s.optional_text(col("root_private_key_pem")), "test_ca", "root_private_key_pem", id);
    ca.intermediate_certificate_pem = s.text(col("intermediate_certificate_pem"));
    ca.intermediate_private_key_pem = s.database().open_key(s.text(col("intermediate_private_key_pem")), "test_ca",
                                                            "intermediate_private_key_pem", id);
    return ca;
}

}  // namespace

std::optional<StoredEmulatorCa> EmulatorCaRepository::newest() {
    auto lock = db_.lock();
    Statement s(db_, select_sql + " ORDER BY created_at DESC LIMIT 1");
    return sql::first_row(s, read_row);
}

std::optional<StoredEmulatorCa> EmulatorCaRepository::find(const std::string& root_fingerprint_sha256) {
    auto lock = db_.lock();
    Statement s(db_, select_sql + " WHERE root_fingerprint_sha256 = ?");
    return sql::first_row(s.bind(1, root_fingerprint_sha256), read_row);
}

void EmulatorCaRepository::insert(const StoredEmulatorCa& ca) {
    auto lock = db_.lock();
    Statement s(db_, sql::insert("test_ca", columns));
    s.bind(param("root_fingerprint_sha256"), ca.root_fingerprint_sha256)
        .bind(param("created_at"), ca.created_at)
        .bind(param("root_certificate_pem"), ca.root_certificate_pem)
        .bind(param("root_private_key_pem"),
              db_.seal_optional_key(ca.root_private_key_pem, "test_ca", "root_private_key_pem",
                                    ca.root_fingerprint_sha256))
        .bind(param("intermediate_certificate_pem"), ca.intermediate_certificate_pem)
        .bind(param("intermediate_private_key_pem"),
              db_.seal_key(ca.intermediate_private_key_pem, "test_ca", "intermediate_private_key_pem",
                           ca.root_fingerprint_sha256));
    s.run();
}

}  // namespace storage
