#include "api/edge/certificate_selector.hpp"

#include <ctime>

#include "api/edge/hostname_lookup.hpp"
#include "api/edge/tls_settings.hpp"
#include "crypto/certificate.hpp"
#include "crypto/error.hpp"

namespace api::edge {
namespace {

// Enough for every certificate a test or a demo uses; past it the cache starts over rather
// than grow without bound (entries in use stay alive through the connections holding them).
constexpr std::size_t cache_limit = 4096;


// "2026-12-04T05:00:00Z": the form custom certificates' cert_not_after is stored in, so the two
// compare as text.
std::string rfc3339_seconds_utc(std::chrono::system_clock::time_point t) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace

CertificateSelector::CertificateSelector(storage::Database& db, LogSink log, Clock now)
    : repository_(db), log_(std::move(log)), now_(now ? std::move(now) : Clock([] { return std::chrono::system_clock::now(); })) {}

std::optional<crypto::TlsSelection> CertificateSelector::select(const std::string& server_name) {
    auto rows = hostnames_covering(repository_, server_name);
    for (const auto* row : rows.covering) {
        if (!is_live(*row) || row->certificates.empty()) continue;
        if (auto built = identity(row->certificates)) return crypto::TlsSelection{built, tls_policy(row->ssl_settings)};
    }
    std::string now;
    for (const auto& zone_certificate : repository_.zone_certificates()) {
        if (!crypto::name_covered(zone_certificate.hosts, server_name)) continue;
        if (now.empty()) now = rfc3339_seconds_utc(now_());
        if (zone_certificate.not_after <= now) continue;  // expired, as the API shows it
        if (auto built = identity({zone_certificate.certificate})) return crypto::TlsSelection{built, {}};
    }
    // Below custom certificates, as Cloudflare ranks an advanced pack.
    for (const auto& pack : repository_.certificate_packs()) {
        if (!crypto::name_covered(pack.hosts, server_name)) continue;
        if (auto built = identity(pack.certificates)) return crypto::TlsSelection{built, {}};
    }
    return std::nullopt;
}

std::shared_ptr<const crypto::ServerIdentity> CertificateSelector::identity(
    const std::vector<storage::EdgeKeyPair>& pairs) {
    std::string key;
    // Issued DV certificates have no stored fingerprint; their chain text is as exact a key.
    for (const auto& pair : pairs) key += (pair.fingerprint_sha256.empty() ? pair.chain_pem : pair.fingerprint_sha256) + ",";
    {
        std::lock_guard guard(mutex_);
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    std::vector<crypto::TlsKeyPair> material;
    for (const auto& pair : pairs) material.push_back({pair.chain_pem, pair.private_key_pem});
    std::shared_ptr<const crypto::ServerIdentity> built;
    try {
        built = std::make_shared<const crypto::ServerIdentity>(material);
    } catch (const crypto::Error& e) {
        if (log_) log_(LogLevel::error, "edge_certificate_unusable", {{"fingerprints", key}, {"error", e.what()}});
        return nullptr;
    }
    // Two handshakes may build the same context at once; either result is right, keep the first.
    std::lock_guard guard(mutex_);
    if (cache_.size() >= cache_limit) cache_.clear();
    return cache_.emplace(key, std::move(built)).first->second;
}

std::size_t CertificateSelector::cached_identities() {
    std::lock_guard guard(mutex_);
    return cache_.size();
}

}  // namespace api::edge
