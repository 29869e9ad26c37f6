#include "storage/edge_repository.hpp"

#include <unordered_map>

#include "storage/database.hpp"
#include "storage/row_fields.hpp"
#include "storage/stored_certificate.hpp"

namespace storage {

struct EdgeRepository::Remembered {
    std::int64_t total_changes = -1;  // rows written on the connection, which the API shares
    std::unordered_map<std::string, std::shared_ptr<const std::vector<EdgeHostname>>> hostnames;  // by the names asked, '\n'-joined
    std::optional<std::vector<EdgeZoneCertificate>> zone_certificates;
    std::optional<std::vector<EdgeCertificatePack>> certificate_packs;
    std::unordered_map<std::string, std::optional<std::string>> fallback_origins;  // by zone id
};

// Names asked for that match nothing are remembered too; past this many, start over.
constexpr std::size_t remembered_limit = 10'000;

// The lookup by name uses custom_hostnames_by_hostname, made by migration 7.
EdgeRepository::EdgeRepository(Database& db) : db_(db), remembered_(std::make_unique<Remembered>()) {}

EdgeRepository::~EdgeRepository() = default;

namespace {

// The first columns of hostnames_query's rows, in its order.
using H = EdgeHostname;
constexpr sql::Fields<H, 9> hostname_fields{{{"id", &H::id}, {"zone_id", &H::zone_id}, {"hostname", &H::hostname},
    {"status", &H::status}, {"ownership_token", &H::ownership_token}, {"ssl_status", &H::ssl_status},
    {"ssl_settings", &H::ssl_settings}, {"ssl_dcv_token", &H::dcv_token},
    {"custom_origin_server", &H::custom_origin_server}}};

std::string hostnames_query(std::size_t names) {
    std::string placeholders;
    for (std::size_t i = 0; i < names; ++i) placeholders += i ? ", ?" : "?";
    return "SELECT h.id, h.zone_id, h.hostname, h.status, h.ownership_token, h.ssl_status, h.ssl_settings, "
           "h.ssl_dcv_token, h.custom_origin_server, h.cert_chain_pem, "
           "h.cert_private_key_pem, c.private_key_pem, h.cert_fingerprint_sha256, c.id, "
           "h.dv_ecdsa_chain_pem, h.dv_ecdsa_private_key_pem, h.dv_rsa_chain_pem, h.dv_rsa_private_key_pem "
           "FROM custom_hostnames h LEFT JOIN custom_csrs c ON c.id = h.custom_csr_id "
           "WHERE h.hostname IN (" + placeholders + ") ORDER BY h.created_at, h.id";
}

// The uploaded key (column `at`) if there is one, else the custom CSR's (at + 1, its id at + 3),
// opened when sealed. Two columns rather than COALESCE: each is sealed for its own row.
std::string uploaded_or_csr_key(const Statement& s, int at, std::string_view table, const std::string& row_id) {
    if (!s.is_null(at)) return s.database().open_key(s.text(at), table, "cert_private_key_pem", row_id);
    return s.database().open_key(s.text(at + 1), "custom_csrs", "private_key_pem", s.text(at + 3));
}

}  // namespace

bool EdgeRepository::remembered_is_current() {
    // Every write of the process goes through this one connection under the lock we hold, so an
    // unchanged count means nothing the edge reads has changed.
    std::int64_t changes = db_.total_changes();
    if (changes == remembered_->total_changes) return true;
    *remembered_ = Remembered{changes, {}, std::nullopt, std::nullopt, {}};
    return false;
}

std::vector<EdgeHostname> EdgeRepository::hostnames_named(const std::vector<std::string>& names) {
    return *shared_hostnames_named(names);
}

std::shared_ptr<const std::vector<EdgeHostname>> EdgeRepository::shared_hostnames_named(
    const std::vector<std::string>& names) {
    static const auto none = std::make_shared<const std::vector<EdgeHostname>>();
    if (names.empty()) return none;
    std::string key;
    for (const auto& name : names) {
        key += name;
        key += '\n';
    }
    auto lock = db_.lock();
    if (remembered_is_current()) {
        if (auto it = remembered_->hostnames.find(key); it != remembered_->hostnames.end()) return it->second;
    }
    auto found = std::make_shared<const std::vector<EdgeHostname>>(query_hostnames(names));
    if (remembered_->hostnames.size() >= remembered_limit) remembered_->hostnames.clear();
    remembered_->hostnames.emplace(std::move(key), found);
    return found;
}

std::vector<EdgeHostname> EdgeRepository::query_hostnames(const std::vector<std::string>& names) {
    std::vector<EdgeHostname> found;
    std::unique_ptr<Statement> one_off;
    Statement* statement = nullptr;
    if (names.size() <= 2) {
        auto& cached = names.size() == 1 ? by_one_name_ : by_two_names_;
        if (!cached) cached = std::make_unique<Statement>(db_, hostnames_query(names.size()));
        statement = cached.get();
    } else {
        one_off = std::make_unique<Statement>(db_, hostnames_query(names.size()));
        statement = one_off.get();
    }
    Statement& s = *statement;
    struct Rewind {
        Statement& s;
        ~Rewind() { s.reset(); }
    } rewind{s};
    for (std::size_t i = 0; i < names.size(); ++i) s.bind(static_cast<int>(i + 1), names[i]);
    while (s.step()) {
        EdgeHostname h;
        sql::read_fields(s, h, hostname_fields);
        if (!s.is_null(9) && (!s.is_null(10) || !s.is_null(11))) {
            h.certificates.push_back({s.text(9), uploaded_or_csr_key(s, 10, "custom_hostnames", h.id), s.text(12)});
            h.uploaded = true;
        } else {
            // No uploaded certificate: the DV pair Cloudflare issued (ECDSA primary, RSA fallback),
            // both offered so the handshake picks by what the client supports. The fingerprint is
            // left empty: the edge keys its cache by the chain then. Each key is sealed for its column.
            struct Dv {
                int chain;
                std::string_view key_column;
            };
            for (Dv dv : {Dv{14, "dv_ecdsa_private_key_pem"}, Dv{16, "dv_rsa_private_key_pem"}})
                if (!s.is_null(dv.chain) && !s.is_null(dv.chain + 1))
                    h.certificates.push_back(
                        {s.text(dv.chain),
                         s.database().open_key(s.text(dv.chain + 1), "custom_hostnames", dv.key_column, h.id),
                         {}});
        }
        found.push_back(std::move(h));
    }
    return found;
}

namespace {

// A whole-table answer, read once per write: the remembered rows while `current`, else read
// with `read` (one row per step) and remembered in `slot`.
template <typename Row, typename Read>
std::vector<Row> remembered_rows(Database& db, bool current, std::optional<std::vector<Row>>& slot, const char* sql,
                                 Read read) {
    if (current && slot) return *slot;
    std::vector<Row> found;
    Statement s(db, sql);
    while (s.step()) found.push_back(read(s));
    slot = found;
    return found;
}

}  // namespace

std::vector<EdgeZoneCertificate> EdgeRepository::zone_certificates() {
    auto lock = db_.lock();
    bool current = remembered_is_current();
    return remembered_rows(db_, current, remembered_->zone_certificates,
                           "SELECT k.id, k.zone_id, k.cert_hosts, k.cert_chain_pem, "
                           "k.cert_private_key_pem, c.private_key_pem, k.cert_fingerprint_sha256, c.id, k.cert_not_after "
                           "FROM custom_certificates k LEFT JOIN custom_csrs c ON c.id = k.custom_csr_id "
                           "WHERE COALESCE(k.cert_private_key_pem, c.private_key_pem) IS NOT NULL "
                           "ORDER BY k.priority DESC, k.uploaded_on, k.id",
                           [](const Statement& s) {
                               EdgeZoneCertificate z;
                               z.id = s.text(0);
                               z.zone_id = s.text(1);
                               z.hosts = split_lines(s.text(2));
                               z.certificate = {s.text(3), uploaded_or_csr_key(s, 4, "custom_certificates", z.id), s.text(6)};
                               z.not_after = s.text(8);
                               return z;
                           });
}

std::vector<EdgeCertificatePack> EdgeRepository::certificate_packs() {
    auto lock = db_.lock();
    bool current = remembered_is_current();
    return remembered_rows(
        db_, current, remembered_->certificate_packs,
        "SELECT id, zone_id, hosts, ecdsa_chain_pem, ecdsa_private_key_pem, rsa_chain_pem, rsa_private_key_pem "
        "FROM certificate_packs WHERE status <> 'expired' AND ecdsa_private_key_pem IS NOT NULL "
        "AND rsa_private_key_pem IS NOT NULL ORDER BY created_at, id",
        [](const Statement& s) {
            EdgeCertificatePack p{s.text(0), s.text(1), split_lines(s.text(2)), {}};
            for (int at : {3, 5}) {
                const char* column = at == 3 ? "ecdsa_private_key_pem" : "rsa_private_key_pem";
                p.certificates.push_back({s.text(at), s.database().open_key(s.text(at + 1), "certificate_packs", column, p.id), {}});
            }
            return p;
        });
}

std::optional<std::string> EdgeRepository::fallback_origin(const std::string& zone_id) {
    auto lock = db_.lock();
    if (remembered_is_current()) {
        if (auto it = remembered_->fallback_origins.find(zone_id); it != remembered_->fallback_origins.end())
            return it->second;
    }
    // Only an active origin takes traffic: pending_deployment is not ready yet, pending_deletion
    // is on its way out (Cloudflare's 1016 in both cases).
    if (!by_zone_fallback_)
        by_zone_fallback_ =
            std::make_unique<Statement>(db_, "SELECT origin FROM fallback_origins WHERE zone_id = ? AND status = 'active'");
    Statement& s = *by_zone_fallback_;
    struct Rewind {
        Statement& s;
        ~Rewind() { s.reset(); }
    } rewind{s};
    s.bind(1, zone_id);
    std::optional<std::string> origin;
    if (s.step()) origin = s.text(0);
    if (remembered_->fallback_origins.size() >= remembered_limit) remembered_->fallback_origins.clear();
    remembered_->fallback_origins.emplace(zone_id, origin);
    return origin;
}

}  // namespace storage
