#pragma once
// Which certificate events a status move fires: one pure function, old state -> new state ->
// events, applied where every custom hostname write is stored (HostnameRepository's observer),
// so any path that changes a status (a read settling, the settler, a probe's result, a manual
// route, renewal on the clock, a PATCH, a DELETE) fires the same events, in the same transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/certificate_pack_repository.hpp"
#include "storage/hostname_repository.hpp"

namespace api {
struct Context;
}

namespace api::notifications {

// A certificate as the events see it.
struct CertificateView {
    std::string status;  // ssl.status
    std::int64_t attempts = 0;
    bool uploaded = false;
    std::string pair;    // the DV chain served ("" when none): a new one while active is a renewal
    std::string id;      // ssl.id: another one is another certificate (a PATCH replaced it)
};
std::optional<CertificateView> certificate_view(const storage::CustomHostname* hostname);

// The event names (without "ssl.custom_hostname_certificate.") a move fires, in order. `before`
// none with `after` some: a new hostname, counted from the state a new certificate starts in.
// `after` none with `before` some: the certificate went (deletion.succeeded).
std::vector<std::string> certificate_events(const std::optional<CertificateView>& before,
                                            const std::optional<CertificateView>& after);

// The event names Cloudflare documents, for routes that fire one on demand.
const std::vector<std::string>& event_names();

// The SaaS payload ({metadata, data}) of `name` for the hostname as stored. `detached`: the
// certificate is no longer on a hostname, so data has no id and no hostname (Cloudflare's
// documented quirk).
nlohmann::json event_payload(const std::string& name, const std::string& event_id, const std::string& created_at,
                             const std::string& account_id, const storage::CustomHostname& hostname, bool detached);

// The outbox rows for `names` of this hostname, with fresh ids and the context's time, for the
// zone's account.
std::vector<storage::OutboxEvent> outbox_events(Context& context, const std::vector<std::string>& names,
                                                const storage::CustomHostname& hostname, bool detached,
                                                const std::string& account);

// Installs the observer on context.hostnames (Context's constructor calls it).
void watch_hostnames(Context& context);

// A certificate pack as the events see it (the same moves as a hostname's DV certificate).
std::optional<CertificateView> certificate_view(const storage::CertificatePack* pack);
// The Advanced Certificate Alert's payload of `name` for the pack as stored: the SaaS metadata,
// and data = {id, hosts, ssl: {status, validation_method, validation_errors?}}.
nlohmann::json pack_event_payload(const std::string& name, const std::string& event_id, const std::string& created_at,
                                  const std::string& account_id, const storage::CertificatePack& pack);
// Installs the observer on context.certificate_packs (Context's constructor calls it).
void watch_certificate_packs(Context& context);

}  // namespace api::notifications
