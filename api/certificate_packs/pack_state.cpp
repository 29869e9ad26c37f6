#include "api/certificate_packs/pack_state.hpp"

#include <nlohmann/json.hpp>

#include "api/settle_and_store.hpp"
#include "api/stored_json.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"

namespace api {
namespace {

std::optional<TimePoint> time_of(const std::optional<std::string>& text) {
    return text ? parse_rfc3339(*text) : std::nullopt;
}

// The end of the pair the pack serves (its ECDSA leaf's notAfter), if any.
std::optional<TimePoint> pair_end(const storage::CertificatePack& pack) {
    if (!pack.ecdsa_chain_pem) return std::nullopt;
    auto parsed = crypto::parse_certificates(*pack.ecdsa_chain_pem);
    if (parsed.empty()) return std::nullopt;
    return TimePoint(std::chrono::seconds(parsed.front().not_after));
}

bool pair_complete(const storage::CertificatePack& p) {
    return p.ecdsa_chain_pem && p.ecdsa_private_key_pem && p.rsa_chain_pem && p.rsa_private_key_pem;
}

}  // namespace

std::vector<std::string> pack_certificate_names(const storage::CertificatePack& pack) {
    auto names = pack.hosts;
    if (pack.cloudflare_branding) names.insert(names.begin(), branding_name);
    return names;
}

lifecycle::HostnameState state_of(const storage::CertificatePack& p) {
    lifecycle::HostnameState state;
    state.ownership.status = lifecycle::Ownership::active;
    lifecycle::CertificateState cert;
    cert.status = lifecycle::parse_certificate(p.status).value_or(lifecycle::Certificate::initializing);
    cert.track.changed_at = parse_rfc3339(p.status_changed_at).value_or(parse_rfc3339(p.created_at).value_or(TimePoint{}));
    cert.track.attempts = static_cast<int>(p.attempts);
    cert.track.next_check = time_of(p.next_check_at);
    cert.track.errors = stored_strings(p.validation_errors);
    cert.expires_on = pair_end(p);
    cert.renewal_failure = p.renewal_failure;
    cert.validity = std::chrono::hours(24 * p.validity_days);
    state.ownership.track.changed_at = cert.track.changed_at;
    state.certificate = cert;
    return state;
}

void store_state(const lifecycle::HostnameState& state, storage::CertificatePack& p) {
    const auto& cert = *state.certificate;
    p.status = std::string(lifecycle::to_string(cert.status));
    p.status_changed_at = rfc3339_micros(cert.track.changed_at);
    p.attempts = cert.track.attempts;
    p.next_check_at = cert.track.next_check ? std::optional(rfc3339_micros(*cert.track.next_check)) : std::nullopt;
    p.validation_errors = nlohmann::json(cert.track.errors).dump();
    p.renewal_failure = cert.renewal_failure;
    auto clock = lifecycle::clock_event_at(state);
    p.clock_at = clock ? std::optional(rfc3339_micros(*clock)) : std::nullopt;
    // Restarted from the start: no pair is served meanwhile.
    if (!cert.expires_on) {
        p.ecdsa_certificate_id.reset();
        p.rsa_certificate_id.reset();
        p.ecdsa_chain_pem.reset();
        p.ecdsa_private_key_pem.reset();
        p.rsa_chain_pem.reset();
        p.rsa_private_key_pem.reset();
    }
}

void start_lifecycle(Context& context, storage::CertificatePack& pack, KeyMiss on_miss) {
    TimePoint now = context.now();
    auto state = lifecycle::initial_state(now, true, false, context.validation.mode);
    state.ownership.status = lifecycle::Ownership::active;
    state.certificate->validity = std::chrono::hours(24 * pack.validity_days);
    store_state(state, pack);
    if (context.validation.enabled && context.validation.mode == lifecycle::Mode::automatic &&
        context.validation.step.count() == 0)
        settle(context, pack, on_miss);
}

bool issue_if_due(Context& context, storage::CertificatePack& pack, const lifecycle::HostnameState& state,
                  KeyMiss on_miss) {
    // Active, or renewing with the old pair (served until the new one is active).
    if (pack.status != "active") return false;
    auto wanted_end = state.certificate->expires_on;
    bool current = !state.certificate->pair_due &&
                   (!wanted_end || pair_end(pack) == std::chrono::floor<std::chrono::seconds>(*wanted_end));
    if (current && pair_complete(pack)) return false;
    auto validity = std::chrono::hours(24 * pack.validity_days);
    auto pair = issue_dv_pair(context, pack_certificate_names(pack), wanted_end, validity, on_miss,
                              kept_keys(pack.ecdsa_private_key_pem, pack.rsa_private_key_pem));
    if (!pair) return false;
    pack.ecdsa_certificate_id = context.new_id();
    pack.rsa_certificate_id = context.new_id();
    pack.ecdsa_chain_pem = std::move(pair->ecdsa.chain_pem);
    pack.ecdsa_private_key_pem = std::move(pair->ecdsa.private_key_pem);
    pack.rsa_chain_pem = std::move(pair->rsa.chain_pem);
    pack.rsa_private_key_pem = std::move(pair->rsa.private_key_pem);
    auto clock = lifecycle::clock_event_at(state_of(pack));
    pack.clock_at = clock ? std::optional(rfc3339_micros(*clock)) : std::nullopt;
    return true;
}

bool settle(Context& context, storage::CertificatePack& pack, KeyMiss on_miss) {
    auto state = state_of(pack);
    const std::string status_before = pack.status, changed_before = pack.status_changed_at;
    bool changed = lifecycle::advance_all(state, context.now(), context.validation);
    if (changed) store_state(state, pack);
    bool issued = issue_if_due(context, pack, state, on_miss);
    // No key was ready for a first pair: the pack does not show active before it has one. It
    // stays as it was; a later settle moves it on, dated as the lifecycle dates it.
    if (changed && status_before != "active" && pack.status == "active" && !pair_complete(pack) &&
        !context.emulator_ca.intermediate_certificate_pem.empty()) {
        pack.status = status_before;
        pack.status_changed_at = changed_before;
        return false;
    }
    return issued || changed;
}

void settle_and_store(Context& context, storage::CertificatePack& pack, KeyMiss on_miss) {
    settle_and_store_row(
        pack, [&](storage::CertificatePack& row) { return settle(context, row, on_miss); },
        [&](const storage::CertificatePack& row, const storage::CertificatePack& before) {
            return context.certificate_packs.update_if_unchanged(row, before);
        },
        [&](storage::CertificatePack& row) {
            auto stored = context.certificate_packs.find(row.zone_id, row.id);
            if (stored) row = *stored;
            return stored.has_value();
        });
}

void settle_due_certificate_packs(Context& context, std::int64_t limit) {
    const auto& validation = context.validation;
    bool moving = validation.enabled && validation.mode != lifecycle::Mode::manual;
    for (const auto& [zone_id, id] : context.certificate_packs.to_settle(rfc3339_micros(context.now()), moving, limit))
        if (auto pack = context.certificate_packs.find(zone_id, id)) settle_and_store(context, *pack, KeyMiss::keep_status);
}

}  // namespace api
