#include "api/custom_hostnames/lifecycle.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "api/text.hpp"

namespace api::lifecycle {
namespace {

constexpr std::array<std::pair<Ownership, std::string_view>, 5> ownership_names{{
    {Ownership::pending, "pending"},
    {Ownership::active, "active"},
    {Ownership::moved, "moved"},
    {Ownership::deleted, "deleted"},
    {Ownership::blocked, "blocked"},
}};

constexpr std::array<std::pair<Certificate, std::string_view>, 10> certificate_names{{
    {Certificate::initializing, "initializing"},
    {Certificate::pending_validation, "pending_validation"},
    {Certificate::pending_issuance, "pending_issuance"},
    {Certificate::pending_deployment, "pending_deployment"},
    {Certificate::active, "active"},
    {Certificate::initializing_timed_out, "initializing_timed_out"},
    {Certificate::validation_timed_out, "validation_timed_out"},
    {Certificate::issuance_timed_out, "issuance_timed_out"},
    {Certificate::deployment_timed_out, "deployment_timed_out"},
    {Certificate::expired, "expired"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
    for (const auto& [v, name] : names)
        if (v == value) return name;
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names, std::string_view text) {
    for (const auto& [v, name] : names)
        if (name == text) return v;
    return std::nullopt;
}

// A status change: stamped, and the old status's bookkeeping forgotten.
void enter(Track& track, TimePoint at) {
    track.changed_at = at;
    track.attempts = 0;
    track.next_check.reset();
    track.errors.clear();
}

// Ownership changes, stamped, with the error Cloudflare shows in the new status (if any).
void set_ownership(OwnershipState& own, Ownership status, TimePoint at, std::string_view error = {}) {
    own.status = status;
    enter(own.track, at);
    if (!error.empty()) own.track.errors = {std::string(error)};
}

// A DV certificate becoming active gets its (new) pair's end: 90 days from activation.
void set_certificate(CertificateState& cert, Certificate status, TimePoint at) {
    cert.status = status;
    enter(cert.track, at);
    if (!cert.uploaded && status == Certificate::active) {
        cert.expires_on = at + cert.validity;
        cert.pair_due = true;
    }
}

// An issuance that failed and waits (a renewal whose CA said no, or whose DCV check failed in
// dns mode): it moves on only by a check, a refresh or its lapse, never by the step.
bool issuance_held(const CertificateState& cert, Mode mode) {
    if (cert.status != Certificate::pending_issuance) return false;
    return !cert.track.errors.empty() || (mode == Mode::dns && cert.track.next_check.has_value());
}

// The DV pipeline, one state after another.
std::optional<Certificate> next_dv(Certificate status) {
    switch (status) {
        case Certificate::initializing: return Certificate::pending_validation;
        case Certificate::pending_validation: return Certificate::pending_issuance;
        case Certificate::pending_issuance: return Certificate::pending_deployment;
        case Certificate::pending_deployment: return Certificate::active;
        default: return std::nullopt;
    }
}

// Which moves happen by time alone (the rest wait for a probe or an emulator route).
struct TimedMoves {
    bool ownership;   // pending -> active
    bool validation;  // pending_validation -> pending_issuance
};

bool advance_timed(HostnameState& state, TimePoint now, Duration step, TimedMoves moves, Mode mode) {
    bool changed = false;
    auto& own = state.ownership;
    if (moves.ownership && own.status == Ownership::pending && own.track.changed_at + step <= now) {
        set_ownership(own, Ownership::active, own.track.changed_at + step);
        changed = true;
    }
    if (!state.certificate) return changed;
    auto& cert = *state.certificate;
    while (true) {
        std::optional<Certificate> next;
        TimePoint due = cert.track.changed_at + step;
        if (cert.uploaded) {
            // A customer's certificate only deploys once the hostname is proven theirs.
            if (cert.status != Certificate::pending_deployment || own.status != Ownership::active) break;
            next = Certificate::active;
            due = std::max(cert.track.changed_at, own.track.changed_at) + step;
        } else {
            if (cert.status == Certificate::pending_validation && !moves.validation) break;
            if (issuance_held(cert, mode)) break;
            next = next_dv(cert.status);
        }
        if (!next || due > now) break;
        set_certificate(cert, *next, due);
        // In dns mode DCV is checked as soon as validation starts.
        if (cert.status == Certificate::pending_validation && mode == Mode::dns) cert.track.next_check = due;
        changed = true;
    }
    return changed;
}

bool contains(const std::optional<std::vector<std::string>>& values, const std::string& wanted) {
    return values && !wanted.empty() && std::find(values->begin(), values->end(), wanted) != values->end();
}

// Every TXT value the DCV records ask for is published.
bool dcv_txt_published(const std::optional<std::vector<std::string>>& values, const Expectations& expected) {
    if (expected.dcv_txt_values.empty()) return contains(values, expected.dcv_token);
    return std::all_of(expected.dcv_txt_values.begin(), expected.dcv_txt_values.end(),
                       [&](const std::string& wanted) { return contains(values, wanted); });
}

bool body_is(const std::optional<std::string>& body, const std::string& wanted) {
    if (!body || wanted.empty()) return false;
    std::string_view text = *body;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    return text == wanted;
}

// The schedule's length: from the first check to the last attempt's, had every check run on time.
Duration schedule_length(int max_attempts, double scale) {
    Duration total{0};
    for (int attempt = 0; attempt + 1 < max_attempts; ++attempt) total += retry_delay(attempt, scale);
    return total;
}

// A failed check: count it, show why, and either schedule the next one or give up: after the last
// attempt, or once the schedule's time is over even if fewer checks ran (a clock jump, an
// emulator that was down), so a verification never proven ends when Cloudflare's would.
bool count_failure(Track& track, std::vector<std::string> errors, TimePoint now, double scale, int max_attempts) {
    ++track.attempts;
    track.errors = std::move(errors);
    if (track.attempts >= max_attempts) return true;
    if (now >= track.changed_at + schedule_length(max_attempts, scale)) return true;
    track.next_check = now + retry_delay(track.attempts - 1, scale);
    return false;
}

std::string normalized(std::string_view name) {
    if (name.ends_with('.')) name.remove_suffix(1);
    return lowercase(std::string(name));
}

}  // namespace

std::optional<Mode> parse_mode(std::string_view text) {
    if (text == "auto") return Mode::automatic;
    if (text == "manual") return Mode::manual;
    if (text == "dns") return Mode::dns;
    return std::nullopt;
}

std::string_view to_string(Ownership status) { return name_of(ownership_names, status); }
std::string_view to_string(Certificate status) { return name_of(certificate_names, status); }
std::optional<Ownership> parse_ownership(std::string_view text) { return value_of(ownership_names, text); }
std::optional<Certificate> parse_certificate(std::string_view text) { return value_of(certificate_names, text); }

HostnameState initial_state(TimePoint now, bool has_ssl, bool uploaded_certificate, Mode mode) {
    HostnameState state;
    state.ownership.track.changed_at = now;
    if (mode == Mode::dns) state.ownership.track.next_check = now;
    if (has_ssl) {
        CertificateState cert;
        cert.uploaded = uploaded_certificate;
        cert.status = uploaded_certificate ? Certificate::pending_deployment : Certificate::initializing;
        cert.track.changed_at = now;
        state.certificate = cert;
    }
    return state;
}

bool advance_auto(HostnameState& state, TimePoint now, Duration step) {
    return advance_timed(state, now, step, {.ownership = true, .validation = true}, Mode::automatic);
}

bool advance_unprobed(HostnameState& state, TimePoint now, Duration step) {
    return advance_timed(state, now, step, {.ownership = false, .validation = false}, Mode::dns);
}

bool advance_off(HostnameState& state) {
    if (!state.certificate || state.certificate->uploaded) return false;
    auto& cert = *state.certificate;
    if (cert.status != Certificate::initializing) return false;
    // Stamped at its creation: nothing waited in between.
    set_certificate(cert, Certificate::pending_validation, cert.track.changed_at);
    return true;
}

Refusal verify_ownership(HostnameState& state, TimePoint now) {
    auto& own = state.ownership;
    if (own.status != Ownership::pending)
        return "ownership is " + std::string(to_string(own.status)) + "; only a pending hostname can be verified";
    set_ownership(own, Ownership::active, now);
    return std::nullopt;
}

Refusal advance_certificate(HostnameState& state, TimePoint now) {
    if (!state.certificate) return std::string("the custom hostname has no ssl");
    auto& cert = *state.certificate;
    std::optional<Certificate> next = cert.uploaded ? std::nullopt : next_dv(cert.status);
    if (cert.uploaded && cert.status == Certificate::pending_deployment) {
        if (state.ownership.status != Ownership::active)
            return std::string("an uploaded certificate deploys only after ownership is verified");
        next = Certificate::active;
    }
    if (!next) return "ssl.status is " + std::string(to_string(cert.status)) + "; it cannot advance";
    set_certificate(cert, *next, now);
    return std::nullopt;
}

Refusal fail_certificate(HostnameState& state, TimePoint now, const std::string& message) {
    if (!state.certificate) return std::string("the custom hostname has no ssl");
    auto& cert = *state.certificate;
    std::optional<Certificate> failed;
    switch (cert.status) {
        case Certificate::initializing: failed = Certificate::initializing_timed_out; break;
        case Certificate::pending_validation: failed = Certificate::validation_timed_out; break;
        case Certificate::pending_issuance: failed = Certificate::issuance_timed_out; break;
        case Certificate::pending_deployment: failed = Certificate::deployment_timed_out; break;
        default: break;
    }
    if (!failed) return "ssl.status is " + std::string(to_string(cert.status)) + "; only a pending certificate can fail";
    set_certificate(cert, *failed, now);
    if (!message.empty()) cert.track.errors = {message};
    return std::nullopt;
}

Refusal block(HostnameState& state, TimePoint now) {
    auto& own = state.ownership;
    if (own.status == Ownership::blocked) return std::string("the custom hostname is already blocked");
    set_ownership(own, Ownership::blocked, now, error_held_zone);
    return std::nullopt;
}

Refusal move(HostnameState& state, TimePoint now) {
    auto& own = state.ownership;
    if (own.status != Ownership::pending && own.status != Ownership::active)
        return "ownership is " + std::string(to_string(own.status)) + "; only a pending or active hostname can move";
    set_ownership(own, Ownership::moved, now, error_not_cname);
    return std::nullopt;
}

void refresh(HostnameState& state, TimePoint now) {
    auto& own = state.ownership;
    if (own.status == Ownership::moved || own.status == Ownership::deleted) set_ownership(own, Ownership::pending, now);
    if (own.status == Ownership::pending) {
        own.track.attempts = 0;
        own.track.next_check = now;
    }
    if (!state.certificate) return;
    auto& cert = *state.certificate;
    switch (cert.status) {
        case Certificate::initializing_timed_out:
        case Certificate::validation_timed_out:
        case Certificate::issuance_timed_out:
        case Certificate::deployment_timed_out:
            set_certificate(cert, cert.uploaded ? Certificate::pending_deployment : Certificate::initializing, now);
            break;
        case Certificate::expired:
            // A lapsed DV pair is issued anew from the start (nothing is served meanwhile); an
            // uploaded certificate past its end stays expired: only a new upload replaces it.
            if (cert.uploaded) break;
            set_certificate(cert, Certificate::initializing, now);
            cert.expires_on.reset();
            break;
        case Certificate::pending_validation:
            cert.track.attempts = 0;
            cert.track.next_check = now;
            break;
        case Certificate::pending_issuance:
            // A failed renewal tries again now: the step moves it on (auto), or a check (dns).
            if (cert.track.errors.empty()) break;
            set_certificate(cert, Certificate::pending_issuance, now);
            cert.track.next_check = now;
            break;
        default: break;
    }
}

void reissue(HostnameState& state, TimePoint now) {
    if (!state.certificate || state.certificate->uploaded) return;
    auto& cert = *state.certificate;
    if (cert.status != Certificate::active) return;
    set_certificate(cert, Certificate::initializing, now);
}

bool renewing(const CertificateState& cert) {
    return !cert.uploaded && cert.expires_on && cert.status != Certificate::active &&
           cert.status != Certificate::expired;
}

std::chrono::hours renewal_lead(const CertificateState& cert) {
    return std::min<std::chrono::hours>(renewal_window, cert.validity / 3);
}

bool advance_all(HostnameState& state, TimePoint now, const ValidationSettings& validation) {
    // One renewal per turn: a clock jump over several renewal windows renews several times.
    bool changed = false;
    for (bool moved = true; moved;) {
        moved = false;
        if (validation.enabled && validation.mode == Mode::automatic)
            moved = advance_auto(state, now, validation.step);
        else if (validation.enabled && validation.mode == Mode::dns)
            moved = advance_unprobed(state, now, validation.step);
        else if (!validation.enabled)
            moved = advance_off(state);
        moved = run_clock(state, now, validation.mode) || moved;
        changed = changed || moved;
    }
    if (validation.enabled && validation.mode == Mode::dns)
        changed = expire_moved(state, now, validation.backoff_scale) || changed;
    return changed;
}

bool run_clock(HostnameState& state, TimePoint now, Mode mode) {
    if (!state.certificate || !state.certificate->expires_on) return false;
    auto& cert = *state.certificate;
    const TimePoint end = *cert.expires_on;
    if (cert.status == Certificate::expired) return false;
    if (cert.uploaded) {
        if (end > now) return false;
        set_certificate(cert, Certificate::expired, end);
        return true;
    }
    if (cert.status == Certificate::active) {
        const TimePoint start = end - renewal_lead(cert);
        if (start > now) return false;
        if (cert.renewal_failure) {
            // Cloudflare's failed renewal: active -> pending_issuance, the CA's reason shown.
            set_certificate(cert, Certificate::pending_issuance, start);
            cert.track.errors = {*cert.renewal_failure};
            cert.renewal_failure.reset();
            return true;
        }
        if (mode == Mode::dns) {
            // The DCV is checked again first (due() reports it, apply_checks decides).
            if (cert.track.next_check) return false;
            cert.track.next_check = start;
            return true;
        }
        set_certificate(cert, Certificate::pending_deployment, start);
        return true;
    }
    if (end > now) return false;
    // A renewal that did not finish in time: the old pair lapses, the reason stays shown.
    auto errors = std::move(cert.track.errors);
    set_certificate(cert, Certificate::expired, end);
    cert.track.errors = std::move(errors);
    return true;
}

std::optional<TimePoint> clock_event_at(const HostnameState& state) {
    if (!state.certificate || !state.certificate->expires_on) return std::nullopt;
    const auto& cert = *state.certificate;
    if (cert.status == Certificate::expired) return std::nullopt;
    if (cert.uploaded || cert.status != Certificate::active) return cert.expires_on;
    // Active DV: its renewal, unless a renewal check is scheduled already (dns mode's checks own it).
    if (cert.track.next_check) return std::nullopt;
    return *cert.expires_on - renewal_lead(cert);
}

Refusal fail_renewal(HostnameState& state, TimePoint now, const std::string& message) {
    if (!state.certificate) return std::string("the custom hostname has no ssl");
    auto& cert = *state.certificate;
    if (cert.uploaded) return std::string("an uploaded certificate is never renewed");
    std::string why = message.empty() ? std::string(error_ca_internal) : message;
    if (renewing(cert) && cert.status == Certificate::pending_deployment) {
        set_certificate(cert, Certificate::pending_issuance, now);
        cert.track.errors = {why};
        return std::nullopt;
    }
    cert.renewal_failure = why;
    return std::nullopt;
}

Duration retry_delay(int attempt, double scale) {
    constexpr double cap_seconds = 4 * 60 * 60;
    double growth = attempt < 10 ? 1.05 : 1.15;
    double seconds = std::min(std::floor(60.0 * std::pow(growth, std::max(attempt, 0))), cap_seconds);
    return Duration(static_cast<Duration::rep>(std::llround(seconds * 1000.0 * scale)));
}

std::string dns_lookup_error(std::string_view failure) {
    return "DNS lookup failed: " + std::string(failure.empty() ? "the DNS server gave no usable answer" : failure) +
           "; the hostname's records could not be checked.";
}

bool cname_reaches(const std::vector<std::string>& chain, std::string_view target) {
    if (target.empty()) return false;
    std::string wanted = normalized(target);
    std::size_t followed = std::min<std::size_t>(chain.size(), 10);
    for (std::size_t i = 0; i < followed; ++i)
        if (normalized(chain[i]) == wanted) return true;
    return false;
}

bool apply_checks(HostnameState& state, const Expectations& expected, const ProbeResults& seen, TimePoint now,
                  double scale) {
    bool changed = false;
    const DueChecks checks = due(state, now);
    bool cnamed = seen.cname_chain && cname_reaches(*seen.cname_chain, expected.cname_target);

    auto& own = state.ownership;
    if (checks.ownership) {
        bool proven = cnamed || contains(seen.ownership_txt, expected.ownership_token) ||
                      body_is(seen.ownership_http_body, expected.ownership_token);
        if (proven) {
            set_ownership(own, Ownership::active, now);
        } else {
            // A hostname that CNAMEs somewhere else gets the CNAME wording; one with no CNAME
            // was expected to prove itself with the token.
            // A lookup the DNS server failed says nothing about the records: its answer is
            // shown instead.
            bool elsewhere = seen.cname_chain && !seen.cname_chain->empty();
            std::vector<std::string> why;
            for (const auto& failure : seen.ownership_lookup_failures) why.push_back(dns_lookup_error(failure));
            if (why.empty()) why.emplace_back(elsewhere ? error_not_cname : error_token_not_found);
            if (count_failure(own.track, why, now, scale, ownership_max_attempts)) {
                set_ownership(own, Ownership::moved, now);
                own.track.errors = why;
            }
        }
        changed = true;
    }

    if (checks.validation && state.certificate->status != Certificate::pending_validation) {
        // A renewal's DCV: passed, the new pair deploys; failed, the renewal waits in
        // pending_issuance on the retry schedule (Cloudflare's failed renewal), until it lapses.
        auto& cert = *state.certificate;
        bool validated =
            dcv_txt_published(seen.dcv_txt, expected) ||
            (!expected.dcv_by_txt_only && (cnamed || body_is(seen.dcv_http_body, expected.dcv_token)));
        if (validated) {
            set_certificate(cert, Certificate::pending_deployment, now);
        } else {
            if (cert.status == Certificate::active) set_certificate(cert, Certificate::pending_issuance, now);
            std::vector<std::string> errors{std::string(seen.dcv_txt ? error_renewal_dcv_missing : error_servfail)};
            if (count_failure(cert.track, errors, now, scale, validation_max_attempts)) cert.track.next_check.reset();
        }
        changed = true;
    } else if (checks.validation) {
        auto& cert = *state.certificate;
        bool validated =
            dcv_txt_published(seen.dcv_txt, expected) ||
            (!expected.dcv_by_txt_only && (cnamed || body_is(seen.dcv_http_body, expected.dcv_token)));
        if (validated) {
            set_certificate(cert, Certificate::pending_issuance, now);
        } else {
            // A plain miss shows no error (the record is simply still pending); a lookup that
            // failed is what the CA reports as SERVFAIL.
            std::vector<std::string> errors;
            if (!seen.dcv_txt) errors.emplace_back(error_servfail);
            if (count_failure(cert.track, errors, now, scale, validation_max_attempts)) {
                set_certificate(cert, Certificate::validation_timed_out, now);
                cert.track.errors = errors;
            }
        }
        changed = true;
    }
    return changed;
}

bool expire_moved(HostnameState& state, TimePoint now, double scale) {
    auto& own = state.ownership;
    if (own.status != Ownership::moved) return false;
    auto lifetime = std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(moved_lifetime) * scale);
    if (own.track.changed_at + lifetime > now) return false;
    set_ownership(own, Ownership::deleted, own.track.changed_at + lifetime);
    return true;
}

void check_now(HostnameState& state, TimePoint now) {
    if (state.ownership.status == Ownership::pending) state.ownership.track.next_check = now;
    if (state.certificate && state.certificate->status == Certificate::pending_validation)
        state.certificate->track.next_check = now;
}

DueChecks due(const HostnameState& state, TimePoint now) {
    auto time_come = [now](const Track& track) { return !track.next_check || *track.next_check <= now; };
    DueChecks out;
    out.ownership = state.ownership.status == Ownership::pending && time_come(state.ownership.track);
    if (state.certificate) {
        const auto& cert = *state.certificate;
        bool renewal_check = !cert.uploaded && cert.expires_on && cert.track.next_check &&
                             (cert.status == Certificate::active || cert.status == Certificate::pending_issuance);
        out.validation = (cert.status == Certificate::pending_validation || renewal_check) && time_come(cert.track);
    }
    return out;
}

}  // namespace api::lifecycle
