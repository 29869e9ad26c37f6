// Private keys encrypted at rest, through the real binary: what is on disk, what survives a
// restart, and what a wrong or missing key-encryption key does at start.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>

#include "storage/database.hpp"
#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/keys_on_disk.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

const std::string kek_hex = "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const std::string other_kek_hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// Every private-key column of the file, concatenated (the database may be open in the server:
// WAL lets a reader in).
std::string all_stored_keys(const std::string& db_path) {
    storage::Database db(db_path);
    storage::Statement s(db,
                         "SELECT group_concat(k, '|') FROM ("
                         " SELECT private_key_pem AS k FROM custom_csrs"
                         " UNION ALL SELECT cert_private_key_pem FROM custom_hostnames WHERE cert_private_key_pem IS NOT NULL"
                         " UNION ALL SELECT cert_private_key_pem FROM custom_certificates WHERE cert_private_key_pem IS NOT NULL"
                         " UNION ALL SELECT intermediate_private_key_pem FROM test_ca"
                         " UNION ALL SELECT root_private_key_pem FROM test_ca WHERE root_private_key_pem IS NOT NULL"
                         " UNION ALL SELECT private_key_pem FROM origin_ca_roots)");
    REQUIRE(s.step());
    return s.is_null(0) ? std::string() : s.text(0);
}

std::vector<std::string> with_db(const std::string& db, std::vector<std::string> more = {}) {
    std::vector<std::string> args{"--db", db, "--key-pool", "0", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace

TEST_CASE("with a key-encryption key, keys are encrypted on disk and a CSR still backs an upload after a restart") {
    TempDir dir;
    std::string db = dir.file("db.sqlite3");
    std::map<std::string, std::string> env{{"CSR_EMULATOR_KEY_ENCRYPTION_KEY", kek_hex}};
    ZoneCsr csr;
    {
        ServerProcess server({"--db", db, "--key-pool", "0"}, env);
        ApiClient client(server);
        csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
        // The Origin CA's roots are made (and stored) when first asked for.
        REQUIRE(client.get("/_emulator/ca/origin-rsa.pem").status == 200);
        CHECK(server.stop(SIGTERM) == 0);
    }
    std::string stored = all_stored_keys(db);
    CHECK(stored.find("enc:v1:") == 0);
    CHECK(stored.find("PRIVATE KEY") == std::string::npos);

    SUBCASE("restart with the same key (from a key file): the upload with custom_csr_id works") {
        std::string key_file = dir.file("kek");
        write_file(key_file, kek_hex + "\n");
        ServerProcess server({"--db", db, "--key-pool", "0", "--key-encryption-key-file", key_file});
        ApiClient client(server);
        std::string chain = emulator_sign(client, csr.pem);
        auto r = client.post(zone_hostnames(), {{"hostname", "app.acme.io"},
                                                {"ssl", {{"custom_csr_id", csr.id}, {"custom_certificate", chain}}}});
        INFO(r.body);
        CHECK(r.status == 201);
        // The snapshot with keys shows PEM (it can seed another database); the file does not.
        auto state = client.get("/_emulator/state?include_private_keys=true");
        CHECK(state.body.find("PRIVATE KEY-----") != std::string::npos);
        CHECK(all_stored_keys(db).find("PRIVATE KEY") == std::string::npos);
        CHECK(server.stop(SIGTERM) == 0);
    }
    SUBCASE("restart with another key: exit 1 with a message, nothing served") {
        auto run = run_emulator(with_db(db), std::chrono::seconds(20), {{"CSR_EMULATOR_KEY_ENCRYPTION_KEY", other_kek_hex}});
        CHECK(run.exit_code == 1);
        CHECK(run.err.find("does not open database") != std::string::npos);
        CHECK(run.out.find("listening on") == std::string::npos);
    }
    SUBCASE("restart without a key: refused with a message naming the setting") {
        auto run = run_emulator(with_db(db));
        CHECK(run.exit_code == 1);
        CHECK(run.err.find("holds encrypted private keys") != std::string::npos);
        CHECK(run.err.find("--key-encryption-key-file") != std::string::npos);
        CHECK(run.out.find("listening on") == std::string::npos);
    }
}

TEST_CASE("a database written without a key is encrypted in place when started with one") {
    TempDir dir;
    std::string db = dir.file("db.sqlite3");
    ZoneCsr csr;
    {
        ServerProcess server({"--db", db, "--key-pool", "0"});
        ApiClient client(server);
        csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
        // The Origin CA's roots are made (and stored) when first asked for.
        REQUIRE(client.get("/_emulator/ca/origin-rsa.pem").status == 200);
        CHECK(server.stop(SIGTERM) == 0);
    }
    CHECK(all_stored_keys(db).find("PRIVATE KEY-----") != std::string::npos);
    ServerProcess server({"--db", db, "--key-pool", "0"}, {{"CSR_EMULATOR_KEY_ENCRYPTION_KEY", kek_hex}});
    // The CSR's key, the test CA's two and the Origin CA roots' two.
    CHECK(server.stderr_text().find("event=keys_encrypted count=5") != std::string::npos);
    CHECK(all_stored_keys(db).find("PRIVATE KEY") == std::string::npos);
    ApiClient client(server);
    std::string chain = emulator_sign(client, csr.pem);  // the CA's keys still work
    auto r = client.post(zone_hostnames(), {{"hostname", "www.acme.io"},
                                            {"ssl", {{"custom_csr_id", csr.id}, {"custom_certificate", chain}}}});
    INFO(r.body);
    CHECK(r.status == 201);
    CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("a malformed key-encryption key is refused at start") {
    TempDir dir;
    auto run = run_emulator(with_db(dir.file("db.sqlite3")), std::chrono::seconds(20),
                            {{"CSR_EMULATOR_KEY_ENCRYPTION_KEY", "not-a-key"}});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("CSR_EMULATOR_KEY_ENCRYPTION_KEY: key-encryption key: expected 32 bytes") != std::string::npos);
    auto missing = run_emulator(with_db(dir.file("db2.sqlite3"), {"--key-encryption-key-file", dir.file("absent")}));
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("cannot read --key-encryption-key-file") != std::string::npos);
}

TEST_CASE("switching to key encryption leaves no plaintext key in the file, -wal or -shm, even when killed after") {
    TempDir dir;
    std::string db = dir.file("db.sqlite3");
    {
        ServerProcess server({"--db", db, "--key-pool", "0"});
        ApiClient client(server);
        for (int i = 0; i < 6; ++i) create_zone_csr(client, {"app" + std::to_string(i) + ".acme.io"});
        // Deleted rows leave their keys in free pages and freed cell space.
        auto listed = client.get(zone_csrs()).json()["result"];
        for (int i = 0; i < 3; ++i) REQUIRE(client.del(zone_csrs() + "/" + listed[i]["id"].get<std::string>()).status == 200);
        REQUIRE(client.get("/_emulator/ca/origin-ecc.pem").status == 200);  // the Origin CA's roots, made when asked
        CHECK(server.stop(SIGTERM) == 0);
    }
    REQUIRE(plaintext_keys_on_disk(db) > 0);
    ServerProcess server({"--db", db, "--key-pool", "0"}, {{"CSR_EMULATOR_KEY_ENCRYPTION_KEY", kek_hex}});
    // 3 CSRs + the test CA's 2 + the Origin CA's 2.
    CHECK(server.stderr_text().find("event=keys_encrypted count=7") != std::string::npos);
    // Killed right after the switch: no clean close, no checkpoint at exit.
    server.stop(SIGKILL);
    CHECK(plaintext_keys_on_disk(db) == 0);
    // And the database still opens with its key, the three CSRs in it.
    ServerProcess again({"--db", db, "--key-pool", "0"}, {{"CSR_EMULATOR_KEY_ENCRYPTION_KEY", kek_hex}});
    ApiClient client(again);
    CHECK(client.get(zone_csrs()).json()["result"].size() == 3);
    CHECK(client.get("/_emulator/state?include_private_keys=true").body.find("PRIVATE KEY-----") != std::string::npos);
    CHECK(again.stop(SIGTERM) == 0);
}
