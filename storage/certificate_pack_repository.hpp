#pragma once
// Certificate packs (Advanced Certificate Manager) of a zone, with the validation bookkeeping the
// custom hostname lifecycle moves and the certificate pair issued once the pack is active. Few
// per zone (the quota is small), so a zone's packs are read whole.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/notification_outbox.hpp"
#include "storage/statement_cache.hpp"

namespace storage {

struct CertificatePack {
    std::string id, zone_id, type = "advanced";
    std::vector<std::string> hosts;  // stored one per line
    std::string validation_method, certificate_authority;
    std::int64_t validity_days = 90;
    bool cloudflare_branding = false;
    std::string created_at, dcv_token;
    // As HostnameSsl's columns of the same names.
    std::string status, status_changed_at;
    std::int64_t attempts = 0;
    std::optional<std::string> next_check_at;
    std::string validation_errors = "[]";
    std::optional<std::string> renewal_failure, clock_at;
    // The pair issued at `active` (ids shown in `certificates`), kept while it renews.
    std::optional<std::string> ecdsa_certificate_id, rsa_certificate_id;
    std::optional<std::string> ecdsa_chain_pem, ecdsa_private_key_pem, rsa_chain_pem, rsa_private_key_pem;
};

// As HostnameObserver: called in each write's transaction with the row before (none for an
// insert) and after (none for a delete); the events it returns are stored in that transaction.
using CertificatePackObserver =
    std::function<std::vector<OutboxEvent>(const CertificatePack* before, const CertificatePack* after)>;

class CertificatePackRepository {
public:
    explicit CertificatePackRepository(Database& db) : db_(db), statements_(db) {}

    // Set once, before serving.
    void observe(CertificatePackObserver observer) { observer_ = std::move(observer); }

    void insert(const CertificatePack& pack);
    // False when the pack is gone.
    bool update(const CertificatePack& pack);
    // update(), only while the row still has `before`'s status and change time: a read that
    // settled the pack never overwrites a concurrent edit. False when it changed or went.
    bool update_if_unchanged(const CertificatePack& pack, const CertificatePack& before);
    std::optional<CertificatePack> find(const std::string& zone_id, const std::string& id);
    // Every pack of the zone, in order of creation (the caller settles, filters and pages them:
    // a zone holds a handful).
    std::vector<CertificatePack> list(const std::string& zone_id);
    std::int64_t count(const std::string& zone_id);
    bool remove(const std::string& zone_id, const std::string& id);
    // (zone_id, id) of packs time may move without a read: a renewal or an expiry due at `now`
    // (RFC 3339), an active pack without its pair, and with `moving` every pending pack.
    std::vector<std::pair<std::string, std::string>> to_settle(const std::string& now, bool moving, std::int64_t limit);
    // (zone_id, id) of packs validated by txt or http whose next dns-mode check is at or before
    // `now` (RFC 3339): in pending_validation (also with none scheduled: stored by another mode),
    // or renewing (active or pending_issuance with a check scheduled).
    std::vector<std::pair<std::string, std::string>> due_for_check(const std::string& now, std::int64_t limit);

private:
    std::optional<CertificatePack> find_unlocked(const std::string& zone_id, const std::string& id);
    void notify(const CertificatePack* before, const CertificatePack* after);

    CertificatePackObserver observer_;
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
