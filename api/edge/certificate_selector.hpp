#pragma once
// The edge's certificate question, asked at every TLS handshake: what to present for a server
// name. Answered from storage each time (one indexed lookup), so a created, renewed or deleted
// certificate counts from the next handshake on and nothing stale is ever served; the costly
// part, a built TLS context, is cached by the certificates' fingerprints, so a renewal (a new
// fingerprint) builds a new one and an unchanged certificate is never rebuilt.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/log.hpp"
#include "crypto/tls_context.hpp"
#include "storage/edge_repository.hpp"

namespace api::edge {

class CertificateSelector {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    // `now` is the emulator's clock (the API's), so a certificate expires at the edge when the
    // API shows it expired; none: the system clock.
    explicit CertificateSelector(storage::Database& db, LogSink log = {}, Clock now = {});

    // In order: a live custom hostname covering the name (its certificates, its ssl.settings),
    // else the first zone custom certificate (priority order) whose hosts cover it and that has
    // not expired (Cloudflare stops presenting an expired custom certificate), else the first
    // certificate pack whose hosts cover it and that is not expired, else nothing.
    std::optional<crypto::TlsSelection> select(const std::string& server_name);

    std::size_t cached_identities();

private:
    std::shared_ptr<const crypto::ServerIdentity> identity(const std::vector<storage::EdgeKeyPair>& pairs);

    storage::EdgeRepository repository_;
    LogSink log_;
    Clock now_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const crypto::ServerIdentity>> cache_;
};

}  // namespace api::edge
