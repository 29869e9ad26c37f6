#include "api/custom_hostnames/hostname_state.hpp"

#include <tuple>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/dcv_records.hpp"
#include "api/custom_hostnames/ssl.hpp"
#include "api/time_text.hpp"
#include "api/settle_and_store.hpp"
#include "api/stored_json.hpp"
#include "crypto/certificate.hpp"
#include "crypto/dv_issuance.hpp"
#include "crypto/keys.hpp"

namespace api {
namespace {

std::string errors_text(const std::vector<std::string>& errors) { return nlohmann::json(errors).dump(); }

std::optional<TimePoint> time_of(const std::optional<std::string>& text) {
    return text ? parse_rfc3339(*text) : std::nullopt;
}

std::optional<std::string> text_of(const std::optional<TimePoint>& time) {
    return time ? std::optional(rfc3339_micros(*time)) : std::nullopt;
}

lifecycle::Track track_of(const std::optional<std::string>& changed_at, const std::string& created_at,
                          std::int64_t attempts, const std::optional<std::string>& next_check,
                          const std::string& errors) {
    lifecycle::Track track;
    // Rows without a change time (none are written so, but a seeded state may lack it) count
    // from creation.
    auto changed = time_of(changed_at);
    if (!changed) changed = parse_rfc3339(created_at);
    track.changed_at = changed.value_or(TimePoint{});
    track.attempts = static_cast<int>(attempts);
    track.next_check = time_of(next_check);
    track.errors = stored_strings(errors);
    return track;
}

// The end of the DV pair stored for the hostname (its ECDSA leaf's notAfter), if any.
std::optional<TimePoint> dv_pair_end(const storage::HostnameSsl& ssl) {
    if (!ssl.dv_ecdsa_chain_pem) return std::nullopt;
    auto parsed = crypto::parse_certificates(*ssl.dv_ecdsa_chain_pem);
    if (parsed.empty()) return std::nullopt;
    return TimePoint(std::chrono::seconds(parsed.front().not_after));
}

// The end of the certificate a hostname serves: the uploaded leaf's, else the DV pair's.
std::optional<TimePoint> certificate_end(const storage::HostnameSsl& ssl) {
    if (ssl.certificate) return parse_rfc3339(ssl.certificate->not_after);
    return dv_pair_end(ssl);
}

// The issued pair reports its CA: the one the request chose, else Cloudflare's default.
bool name_issuing_ca(storage::HostnameSsl& ssl) {
    if (ssl.certificate_authority) return false;
    ssl.certificate_authority = default_certificate_authority;
    return true;
}

// The columns a settle moves, of the ownership and of the certificate: (status, changed at,
// attempts, next check, errors). Compared to tell whether anything moved; assigned to restore.
using LifecycleColumns = std::tuple<std::string, std::optional<std::string>, std::int64_t, std::optional<std::string>,
                                    std::string>;
auto ownership_columns(storage::CustomHostname& h) {
    return std::tie(h.status, h.status_changed_at, h.ownership_attempts, h.ownership_next_check_at,
                    h.verification_errors);
}
auto certificate_columns(storage::HostnameSsl& ssl) {
    return std::tie(ssl.status, ssl.status_changed_at, ssl.attempts, ssl.next_check_at, ssl.validation_errors);
}

// An active Cloudflare-managed certificate whose pair (both chains and both keys) is not all there.
bool dv_pair_missing(const storage::CustomHostname& h) {
    if (!h.ssl || h.ssl->certificate || h.ssl->status != "active") return false;
    const auto& ssl = *h.ssl;
    return !(ssl.dv_ecdsa_chain_pem && ssl.dv_ecdsa_private_key_pem && ssl.dv_rsa_chain_pem && ssl.dv_rsa_private_key_pem);
}

bool can_issue(const Context& context) { return !context.emulator_ca.intermediate_certificate_pem.empty(); }

}  // namespace

lifecycle::HostnameState state_of(const storage::CustomHostname& h) {
    lifecycle::HostnameState state;
    state.ownership.status = lifecycle::parse_ownership(h.status).value_or(lifecycle::Ownership::pending);
    state.ownership.track =
        track_of(h.status_changed_at, h.created_at, h.ownership_attempts, h.ownership_next_check_at, h.verification_errors);
    if (h.ssl) {
        lifecycle::CertificateState cert;
        cert.status = lifecycle::parse_certificate(h.ssl->status).value_or(lifecycle::Certificate::initializing);
        cert.uploaded = h.ssl->certificate.has_value();
        cert.track = track_of(h.ssl->status_changed_at, h.created_at, h.ssl->attempts, h.ssl->next_check_at,
                              h.ssl->validation_errors);
        cert.expires_on = certificate_end(*h.ssl);
        cert.renewal_failure = h.ssl->renewal_failure;
        state.certificate = cert;
    }
    return state;
}

void store_state(const lifecycle::HostnameState& state, storage::CustomHostname& h) {
    h.status = std::string(lifecycle::to_string(state.ownership.status));
    h.status_changed_at = rfc3339_micros(state.ownership.track.changed_at);
    h.ownership_attempts = state.ownership.track.attempts;
    h.ownership_next_check_at = text_of(state.ownership.track.next_check);
    h.verification_errors = errors_text(state.ownership.track.errors);
    if (h.ssl && state.certificate) {
        const auto& cert = *state.certificate;
        h.ssl->status = std::string(lifecycle::to_string(cert.status));
        h.ssl->status_changed_at = rfc3339_micros(cert.track.changed_at);
        h.ssl->attempts = cert.track.attempts;
        h.ssl->next_check_at = text_of(cert.track.next_check);
        h.ssl->validation_errors = errors_text(cert.track.errors);
        h.ssl->renewal_failure = cert.renewal_failure;
        h.ssl->clock_at = text_of(lifecycle::clock_event_at(state));
        // A DV certificate issued anew from the start serves no pair meanwhile.
        if (!cert.uploaded && !cert.expires_on) {
            h.ssl->dv_ecdsa_chain_pem.reset();
            h.ssl->dv_ecdsa_private_key_pem.reset();
            h.ssl->dv_rsa_chain_pem.reset();
            h.ssl->dv_rsa_private_key_pem.reset();
        }
    }
}

void start_lifecycle(Context& context, storage::CustomHostname& h, bool new_ownership, KeyMiss on_miss) {
    TimePoint now = context.now();
    bool uploaded = h.ssl && h.ssl->certificate.has_value();
    if (!context.validation.enabled) {
        // Off: what the emulator answered before the lifecycle, settled at once.
        bool waiting = h.ssl && !uploaded;
        lifecycle::HostnameState settled;
        settled.ownership.status = waiting ? lifecycle::Ownership::pending : lifecycle::Ownership::active;
        settled.ownership.track.changed_at = now;
        if (h.ssl) {
            lifecycle::CertificateState cert;
            // A DV certificate answers initializing; the next read finds it pending_validation
            // (lifecycle::advance_off).
            cert.status = waiting ? lifecycle::Certificate::initializing : lifecycle::Certificate::active;
            cert.uploaded = uploaded;
            cert.track.changed_at = now;
            cert.expires_on = certificate_end(*h.ssl);
            settled.certificate = cert;
        }
        store_state(settled, h);
        return;
    }
    auto fresh = lifecycle::initial_state(now, h.ssl.has_value(), uploaded, context.validation.mode);
    if (new_ownership) {
        store_state(fresh, h);
    } else {
        // A PATCH replacing the ssl: ownership keeps its course, the certificate starts anew.
        auto state = state_of(h);
        state.certificate = fresh.certificate;
        store_state(state, h);
    }
    if (context.validation.mode == lifecycle::Mode::automatic && context.validation.step.count() == 0)
        settle(context, h, on_miss);
}

bool issue_dv_if_due(Context& context, storage::CustomHostname& h, KeyMiss on_miss) {
    if (!h.ssl || h.ssl->certificate) return false;
    auto state = state_of(h);
    std::optional<TimePoint> wanted_end;
    if (state.certificate) wanted_end = state.certificate->expires_on;
    return issue_dv_if_due(context, h, wanted_end, false, on_miss);
}

bool issue_dv_if_due(Context& context, storage::CustomHostname& h, std::optional<TimePoint> wanted_end,
                     bool activated, KeyMiss on_miss) {
    if (!h.ssl || h.ssl->certificate) return false;
    // Active, or renewing with the old pair (which stays served until the new one is active).
    if (h.ssl->status != "active") return false;
    // Issued already: the stored pair is the one the lifecycle wants (a renewal changed its end).
    // (A pair without its keys, e.g. seeded from a snapshot taken without include_private_keys,
    // cannot be served: it is issued anew.) A pair issued before the CA was recorded gets it now.
    const auto& ssl = *h.ssl;
    bool current = !activated &&
                   (!wanted_end || dv_pair_end(ssl) == std::chrono::floor<std::chrono::seconds>(*wanted_end));
    if (current && !dv_pair_missing(h)) return name_issuing_ca(*h.ssl);
    auto pair = issue_dv_pair(context, certificate_names(h.hostname, h.ssl->wildcard), wanted_end,
                              lifecycle::dv_validity, on_miss,
                              kept_keys(h.ssl->dv_ecdsa_private_key_pem, h.ssl->dv_rsa_private_key_pem));
    if (!pair) return false;
    auto& issued = *pair;
    h.ssl->dv_ecdsa_chain_pem = std::move(issued.ecdsa.chain_pem);
    h.ssl->dv_ecdsa_private_key_pem = std::move(issued.ecdsa.private_key_pem);
    h.ssl->dv_rsa_chain_pem = std::move(issued.rsa.chain_pem);
    h.ssl->dv_rsa_private_key_pem = std::move(issued.rsa.private_key_pem);
    // A new pair is two new certificates: new ids (a client's stale id then finds nothing).
    h.ssl->dv_ecdsa_certificate_id = context.new_id();
    h.ssl->dv_rsa_certificate_id = context.new_id();
    name_issuing_ca(*h.ssl);
    // The clock's next event follows the pair actually issued.
    h.ssl->clock_at = text_of(lifecycle::clock_event_at(state_of(h)));
    return true;
}

std::optional<DvKeys> kept_keys(const std::optional<std::string>& ecdsa, const std::optional<std::string>& rsa) {
    if (!ecdsa || !rsa) return std::nullopt;
    return DvKeys{*ecdsa, *rsa};
}

std::optional<crypto::DvCertificates> issue_dv_pair(Context& context, const std::vector<std::string>& names,
                                                   std::optional<TimePoint> wanted_end, std::chrono::hours validity,
                                                   KeyMiss on_miss, const std::optional<DvKeys>& kept) {
    // Only a context without the CA (unit tests of other handlers) has nothing to sign with.
    if (!can_issue(context)) return std::nullopt;
    std::optional<std::string> rsa_key, ecdsa_key;
    if (kept) {
        rsa_key = kept->rsa;
        ecdsa_key = kept->ecdsa;
    } else {
        // Made by a key worker, never here: this may be a thread serving sockets.
        rsa_key = context.keys.try_take_rsa2048();
        if (!rsa_key) {
            if (on_miss == KeyMiss::wait) throw KeyNotReady{};
            return std::nullopt;
        }
        ecdsa_key = crypto::generate_private_key(crypto::KeyType::p256v1);  // well under 1 ms
    }
    // Dated from its activation (a clock jump over several renewals issues the last one as it
    // would have been issued), else from now.
    TimePoint valid_from = wanted_end ? *wanted_end - validity : context.now();
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(valid_from.time_since_epoch()).count();
    auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(validity).count();
    return crypto::issue_dv_certificates(context.emulator_ca, names, seconds, *ecdsa_key, *rsa_key, lifetime);
}

bool settle(Context& context, storage::CustomHostname& h, KeyMiss on_miss) {
    const auto& validation = context.validation;
    auto state = state_of(h);
    TimePoint now = context.now();
    // The mode's moves alternate with the clock's renewals and expiry (lifecycle::advance_all).
    bool changed = lifecycle::advance_all(state, now, validation);
    LifecycleColumns ownership_before = ownership_columns(h);
    std::optional<LifecycleColumns> certificate_before;
    if (h.ssl) certificate_before = certificate_columns(*h.ssl);
    if (changed) store_state(state, h);
    std::optional<TimePoint> wanted_end;
    if (state.certificate) wanted_end = state.certificate->expires_on;
    bool activated = state.certificate && state.certificate->pair_due;
    bool issued = issue_dv_if_due(context, h, wanted_end, activated, on_miss);
    // No key was ready for a first pair: the certificate does not show active before its pair
    // exists (the edge could not serve it). It stays as it was; a later settle moves it on, dated
    // as the lifecycle dates it, and issues the pair. (A renewal keeps serving its old pair.)
    if (changed && certificate_before && std::get<0>(*certificate_before) != "active" && dv_pair_missing(h) &&
        can_issue(context)) {
        certificate_columns(*h.ssl) = *certificate_before;
        return LifecycleColumns(ownership_columns(h)) != ownership_before;
    }
    return issued || changed;
}

void settle_and_store(Context& context, storage::CustomHostname& h, KeyMiss on_miss) {
    settle_and_store_row(
        h, [&](storage::CustomHostname& row) { return settle(context, row, on_miss); },
        [&](const storage::CustomHostname& row, const storage::CustomHostname& before) {
            return context.hostnames.update_if_unchanged(row, before) == storage::WriteResult::ok;
        },
        [&](storage::CustomHostname& row) {
            auto stored = context.hostnames.find(row.zone_id, row.id);
            if (stored) row = *stored;
            return stored.has_value();
        });
}

}  // namespace api
