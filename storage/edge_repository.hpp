#pragma once
// What the edge reads for one connection: the hostnames a TLS server name or Host header may
// match, the zone custom certificates, and the keys behind them. Read-only; the API writes.
// Answers are remembered until the next write on the process's database connection (the one
// the API writes through), so every write — create, renew, delete, a status change — counts
// from the next lookup on, and the lookups between writes cost no query. Another process
// writing the same file is not noticed; the emulator is its database's only writer.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace storage {

class Database;
class Statement;

// A certificate chain with the private key to serve it: the uploaded key, or the key of the
// custom CSR it was issued for.
struct EdgeKeyPair {
    std::string chain_pem;
    std::string private_key_pem;
    std::string fingerprint_sha256;  // of the leaf; empty for issued DV certificates (not stored)
};

struct EdgeHostname {
    std::string id, zone_id, hostname, status, ownership_token;
    std::optional<std::string> ssl_status, ssl_settings, dcv_token, custom_origin_server;
    // The uploaded certificate; else the issued DV certificates (ECDSA first, then RSA).
    std::vector<EdgeKeyPair> certificates;
    bool uploaded = false;  // certificates holds the customer's upload, not an issued DV pair
};

struct EdgeZoneCertificate {
    std::string id, zone_id;
    std::string not_after;  // RFC 3339, as stored: past it the certificate is expired and not served
    std::vector<std::string> hosts;
    EdgeKeyPair certificate;
};

// An advanced certificate pack's pair (ECDSA first, then RSA), while it is served: active, or
// renewing with its previous pair.
struct EdgeCertificatePack {
    std::string id, zone_id;
    std::vector<std::string> hosts;
    std::vector<EdgeKeyPair> certificates;
};

class EdgeRepository {
public:
    explicit EdgeRepository(Database& db);
    ~EdgeRepository();

    // Rows whose hostname is exactly one of `names` (lower-case), oldest first.
    std::vector<EdgeHostname> hostnames_named(const std::vector<std::string>& names);
    // The same rows as remembered, shared rather than copied (their PEM texts and keys are
    // kilobytes): what the edge asks at every request and handshake. Never null.
    std::shared_ptr<const std::vector<EdgeHostname>> shared_hostnames_named(const std::vector<std::string>& names);
    // Every zone custom certificate that has a key to serve, highest priority first, then upload order.
    std::vector<EdgeZoneCertificate> zone_certificates();
    // Every certificate pack with a pair to serve, oldest first.
    std::vector<EdgeCertificatePack> certificate_packs();
    // The zone's fallback origin when its status is active, else nullopt.
    std::optional<std::string> fallback_origin(const std::string& zone_id);

private:
    Database& db_;
    struct Remembered;
    // Under the database lock: false, and everything forgotten, when a write happened since.
    bool remembered_is_current();
    std::vector<EdgeHostname> query_hostnames(const std::vector<std::string>& names);

    // Asked at every handshake with one or two names: prepared once each, reused under the lock.
    std::unique_ptr<Statement> by_one_name_, by_two_names_, by_zone_fallback_;
    std::unique_ptr<Remembered> remembered_;
};

}  // namespace storage
