// Fills a database for the paging benchmarks (a benchmark helper, not a test): N custom CSRs
// (1-3 SANs each), N custom hostnames (each with an uploaded certificate for its CSR) and N custom
// certificates in one zone, in one transaction, with prepared inserts through storage::Statement.
//
// The rows are plausible, not real: every CSR row carries the same real P-256 CSR PEM and key PEM
// (made once with crypto::, so the texts have the real size), whatever its subject and SANs say;
// certificate chains are PEM-shaped text of a real leaf + intermediate's size that does not parse.
// Reads never parse them, so lists and GETs cost what they would; anything that verifies a
// certificate or a CSR against these rows would fail. Each CSR row stores the JSON the API shows
// for it, written by the API's own writer (api/custom_csrs/json.hpp), as a create stores it.
//
//   bench_make_rows --db PATH --rows N [--zone ZONE_ID] [--other-zone-rows M]
//
// --other-zone-rows adds M CSRs to another zone, which scoped indexes must skip. Prints
// {"rows":N,"seconds":S,"db_bytes":B} on stdout.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>

#include "api/custom_csrs/json.hpp"
#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"
#include "storage/database.hpp"

namespace {

// RFC 3339 with microseconds, fixed width, `micros` after 2026-01-01T00:00:00Z.
std::string timestamp(std::int64_t micros) {
    std::time_t seconds = 1767225600 + micros / 1000000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char out[96];
    std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros % 1000000));
    return out;
}

std::string seconds_stamp(std::int64_t seconds_after_2026) {
    std::string t = timestamp(seconds_after_2026 * 1000000);
    return t.substr(0, 19) + "Z";
}

// PEM-shaped filler of a leaf + intermediate chain's size (about 1.9 kB).
std::string fake_chain(std::int64_t i) {
    std::string out;
    for (int cert = 0; cert < 2; ++cert) {
        out += "-----BEGIN CERTIFICATE-----\n";
        std::string line = "MIIC" + std::to_string(i) + "benchBENCHbenchBENCHbenchBENCHbenchBENCHbenchBENCHbenchBENCHbench";
        line.resize(64, 'A');
        for (int l = 0; l < 14; ++l) out += line + "\n";
        out += "-----END CERTIFICATE-----\n";
    }
    return out;
}

std::string hex64(std::int64_t i) {
    char out[65];
    std::snprintf(out, sizeof out, "%016llx%016llx%016llx%016llx", static_cast<unsigned long long>(i),
                  static_cast<unsigned long long>(i * 2654435761ULL), 0x5eedULL, static_cast<unsigned long long>(i ^ 0xbe4c));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_path, zone = "023e105f4ecef8ad9ca31a8372d0c353";
    std::int64_t rows = 1000, other_rows = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--db") db_path = value;
        else if (flag == "--rows") rows = std::stoll(value);
        else if (flag == "--zone") zone = value;
        else if (flag == "--other-zone-rows") other_rows = std::stoll(value);
        else {
            std::fprintf(stderr, "usage: bench_make_rows --db PATH --rows N [--zone ZONE_ID] [--other-zone-rows M]\n");
            return 2;
        }
    }
    if (db_path.empty()) {
        std::fprintf(stderr, "--db is required\n");
        return 2;
    }
    auto started = std::chrono::steady_clock::now();

    const std::string key_pem = crypto::generate_private_key(crypto::KeyType::p256v1);
    const std::string csr_pem = crypto::create_csr({"US", "MA", "Boston", "Bench", std::nullopt, "h0.bench.acme.io"},
                                                   {"h0.bench.acme.io", "www.h0.bench.acme.io"}, key_pem);

    storage::Database db(db_path);  // creates the file and applies the migrations
    auto lock = db.lock();
    // A bulk load: no journal, no fsync; the emulator turns WAL back on when it opens the file.
    db.exec("PRAGMA journal_mode = OFF");
    db.exec("PRAGMA synchronous = OFF");
    db.exec("PRAGMA cache_size = -1000000");  // 1 GB: the random-id primary keys stay in memory
    db.exec("BEGIN");

    storage::Statement csr(db,
                           "INSERT INTO custom_csrs (id, scope, scope_id, created_at, key_type, country, state, locality, "
                           "organization, organizational_unit, common_name, name, description, csr_pem, private_key_pem, "
                           "shown_json) "
                           "VALUES (?, 'zone', ?, ?, 'p256v1', 'US', 'MA', 'Boston', 'Bench', NULL, ?, NULL, NULL, ?, ?, ?)");
    storage::Statement san(db, "INSERT INTO custom_csr_sans (csr_id, position, san) VALUES (?, ?, ?)");
    storage::Statement hostname(
        db,
        "INSERT INTO custom_hostnames (id, zone_id, hostname, status, created_at, custom_metadata, custom_origin_server, "
        "custom_origin_sni, ownership_token, ssl_id, ssl_status, ssl_method, ssl_type, ssl_bundle_method, ssl_wildcard, "
        "ssl_certificate_authority, ssl_settings, ssl_dcv_token, ssl_uploaded_on, custom_csr_id, cert_chain_pem, "
        "cert_private_key_pem, cert_issuer, cert_serial_number, cert_signature, cert_not_before, cert_not_after, "
        "cert_hosts, cert_fingerprint_sha256) VALUES (?, ?, ?, 'active', ?, NULL, NULL, NULL, ?, ?, 'active', 'http', "
        "'dv', 'ubiquitous', 0, NULL, NULL, NULL, ?, ?, ?, NULL, 'CN=csr-emulator Test Intermediate', ?, "
        "'ECDSAWithSHA256', ?, ?, ?, ?)");
    storage::Statement certificate(
        db,
        "INSERT INTO custom_certificates (id, zone_id, type, bundle_method, geo_restrictions, policy, deploy, priority, "
        "uploaded_on, modified_on, custom_csr_id, cert_chain_pem, cert_private_key_pem, cert_issuer, cert_serial_number, "
        "cert_signature, cert_not_before, cert_not_after, cert_hosts, cert_fingerprint_sha256) VALUES (?, ?, "
        "'legacy_custom', 'ubiquitous', NULL, NULL, 'production', 20, ?, ?, ?, ?, NULL, "
        "'CN=csr-emulator Test Intermediate', ?, 'ECDSAWithSHA256', ?, ?, ?, ?)");

    const std::string not_before = seconds_stamp(0), not_after = seconds_stamp(90LL * 86400);
    auto add_csr = [&](const std::string& scope_id, std::int64_t i, const std::string& id) {
        storage::CustomCsr shown;
        shown.id = id;
        shown.scope_id = scope_id;
        shown.created_at = timestamp(i * 1000);
        shown.key_type = "p256v1";
        shown.country = "US";
        shown.state = "MA";
        shown.locality = "Boston";
        shown.organization = "Bench";
        shown.common_name = "h" + std::to_string(i) + ".bench.acme.io";
        shown.csr_pem = csr_pem;
        const std::string& cn = shown.common_name;
        int sans = 1 + static_cast<int>(i % 3);  // 1, 2 or 3 SANs
        for (int p = 0; p < sans; ++p) shown.sans.push_back(p == 0 ? cn : (p == 1 ? "www." : "api.") + cn);
        std::string json;
        api::JsonWriter out(json);
        api::write_custom_csr(out, shown);
        csr.reset();
        csr.bind(1, id).bind(2, scope_id).bind(3, shown.created_at).bind(4, cn).bind(5, csr_pem).bind(6, key_pem).bind(7, json);
        csr.run();
        for (int p = 0; p < sans; ++p) {
            san.reset();
            san.bind(1, id).bind(2, std::int64_t{p}).bind(3, shown.sans[static_cast<std::size_t>(p)]);
            san.run();
        }
    };

    for (std::int64_t i = 0; i < rows; ++i) {
        std::string csr_id = crypto::random_uuid();
        add_csr(zone, i, csr_id);
        std::string host = "h" + std::to_string(i) + ".bench.acme.io";
        std::string chain = fake_chain(i);
        std::string created = timestamp(i * 1000 + 1);
        hostname.reset();
        hostname.bind(1, crypto::random_uuid()).bind(2, zone).bind(3, host).bind(4, created);
        hostname.bind(5, crypto::random_uuid()).bind(6, crypto::random_uuid()).bind(7, created).bind(8, csr_id);
        hostname.bind(9, chain).bind(10, hex64(i).substr(0, 32)).bind(11, not_before).bind(12, not_after);
        hostname.bind(13, host).bind(14, hex64(i));
        hostname.run();
        certificate.reset();
        certificate.bind(1, crypto::random_uuid()).bind(2, zone).bind(3, created).bind(4, created).bind(5, csr_id);
        certificate.bind(6, chain).bind(7, hex64(i + rows).substr(0, 32)).bind(8, not_before).bind(9, not_after);
        certificate.bind(10, host).bind(11, hex64(i + rows));
        certificate.run();
    }
    for (std::int64_t i = 0; i < other_rows; ++i) add_csr("0ther" + zone.substr(5), rows + i, crypto::random_uuid());
    db.exec("COMMIT");
    db.exec("PRAGMA journal_mode = WAL");

    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("{\"rows\":%lld,\"other_zone_rows\":%lld,\"seconds\":%.2f,\"db_bytes\":%lld}\n",
                static_cast<long long>(rows), static_cast<long long>(other_rows), seconds,
                static_cast<long long>(std::filesystem::file_size(db_path)));
    return 0;
}
