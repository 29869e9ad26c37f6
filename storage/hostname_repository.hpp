#pragma once
// Custom hostnames of a zone, with the SSL configuration and uploaded certificate they carry.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/hostname_history.hpp"
#include "storage/page.hpp"
#include "storage/notification_outbox.hpp"
#include "storage/statement_cache.hpp"
#include "storage/stored_certificate.hpp"
#include "storage/write_result.hpp"

namespace storage {

struct HostnameSsl {
    std::string id, status, method, type, bundle_method;
    bool wildcard = false;
    std::optional<std::string> certificate_authority;
    std::optional<std::string> settings;  // serialized object, opaque here
    std::optional<std::string> dcv_token;
    std::optional<std::string> uploaded_on;
    std::optional<std::string> custom_csr_id;
    std::optional<StoredCertificate> certificate;
    // Validation bookkeeping (migration 4): when ssl.status last changed, failed checks in a row,
    // the next dns-mode check, the errors shown (a JSON array of strings, opaque here).
    std::optional<std::string> status_changed_at;
    std::int64_t attempts = 0;
    std::optional<std::string> next_check_at;
    std::string validation_errors = "[]";
    // The DV pair the emulator CA issued once the certificate became active.
    std::optional<std::string> dv_ecdsa_chain_pem, dv_ecdsa_private_key_pem, dv_rsa_chain_pem, dv_rsa_private_key_pem;
    // Renewal and expiry (migration 11): the next instant the clock alone changes this
    // certificate, and the message the next DV renewal fails with.
    std::optional<std::string> clock_at;
    std::optional<std::string> renewal_failure;
    // Ids of the certificates (migration 17): the uploaded one, or each of the DV pair. The
    // ssl object's id is the pack's.
    std::optional<std::string> certificate_id, dv_ecdsa_certificate_id, dv_rsa_certificate_id;
};

struct CustomHostname {
    std::string id, zone_id, hostname, status, created_at;
    std::optional<std::string> custom_metadata;  // serialized object, opaque here
    std::optional<std::string> custom_origin_server, custom_origin_sni;
    std::string ownership_token;
    std::optional<HostnameSsl> ssl;
    // Ownership bookkeeping, as for HostnameSsl.
    std::optional<std::string> status_changed_at;
    std::int64_t ownership_attempts = 0;
    std::optional<std::string> ownership_next_check_at;
    std::string verification_errors = "[]";
};

struct HostnameFilter {
    std::optional<std::string> id, hostname_exact, hostname_contains, hostname_starts_with;
    std::optional<std::string> status, ssl_status, certificate_authority, custom_origin_server;
    std::optional<bool> has_ssl, wildcard;
};

enum class HostnameOrder { created_at, ssl_status };

using HostnamePage = Page<CustomHostname>;

// Called inside every insert, update and delete's transaction with the row before (none for an
// insert) and after (none for a delete); the events it returns are stored in that transaction.
// It must not use the database (its lock is held).
using HostnameObserver =
    std::function<std::vector<OutboxEvent>(const CustomHostname* before, const CustomHostname* after)>;

class HostnameRepository {
public:
    explicit HostnameRepository(Database& db) : db_(db), statements_(db) {}

    // Set once, before serving.
    void observe(HostnameObserver observer) { observer_ = std::move(observer); }

    // A custom_csr_id must name a CSR of the same zone; checked in the write's transaction.
    WriteResult insert(const CustomHostname& hostname);
    WriteResult update(const CustomHostname& hostname);  // by (zone_id, id); hostname itself is fixed
    // update(), only while the row still has `before`'s statuses and their change times (and
    // ssl id, DV pair, next check times and renewal failure): a read that advanced the lifecycle never overwrites a concurrent edit. not_found
    // when the row changed or went.
    WriteResult update_if_unchanged(const CustomHostname& hostname, const CustomHostname& before);
    std::optional<CustomHostname> find(const std::string& zone_id, const std::string& id);
    // The hostname's status changes, oldest first (none for an unknown id).
    std::vector<HostnameStatusChange> history(const std::string& id);
    HostnamePage list(const std::string& zone_id, const HostnameFilter& filter, std::int64_t page,
                      std::int64_t per_page, HostnameOrder order, bool descending);
    bool remove(const std::string& zone_id, const std::string& id);
    // (zone_id, id) of hostnames with an ownership or certificate check due at or before `now`
    // (an RFC 3339 text, compared as text: every stored time has the same UTC form); a pending
    // verification with no check scheduled (stored by another mode) counts as due.
    std::vector<std::pair<std::string, std::string>> due_for_check(const std::string& now, std::int64_t limit);
    // (zone_id, id) of hostnames that may still move with time alone: ownership moved (and, with
    // `checks_by_time`, pending), a certificate on its way to active (pending_validation only
    // with `checks_by_time`), or an active DV certificate not issued yet. The background settler
    // walks them so the edge need not wait for an API read. dns mode passes false: pending
    // ownership and pending_validation move only by checks, and need no visit every tick.
    std::vector<std::pair<std::string, std::string>> unsettled(std::int64_t limit, bool checks_by_time);
    // (zone_id, id) of hostnames whose ssl_clock_at is at or before `now` (RFC 3339): a renewal
    // to start, a certificate to expire. Settled hostnames otherwise, so not in unsettled().
    std::vector<std::pair<std::string, std::string>> clock_due(const std::string& now, std::int64_t limit);

private:
    // The insert or the update of `hostname`, inside the caller's transaction.
    WriteResult write(const std::string& sql, const CustomHostname& hostname);
    // The stored row, read inside the caller's transaction (the history and the observer compare).
    std::optional<CustomHostname> before_write(const std::string& zone_id, const std::string& id);
    void notify(const CustomHostname* before, const CustomHostname* after);

    HostnameObserver observer_;
    Database& db_;
    StatementCache statements_;
};

}  // namespace storage
