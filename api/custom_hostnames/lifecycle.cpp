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

constexpr std::array<std::pair<Certificate, std::string_view>, 9> certificate_names{{
    {Certificate::initializing, "initializing"},
    {Certificate::pending_validation, "pending_validation"},
    {Certificate::pending_issuance, "pending_issuance"},
    {Certificate::pending_deployment, "pending_deployment"},
    {Certificate::active, "active"},
    {Certificate::initializing_timed_out, "initializing_timed_out"},
    {Certificate::validation_timed_out, "validation_timed_out"},
    {Certificate::issuance_timed_out, "issuance_timed_out"},
    {Certificate::deployment_timed_out, "deployment_timed_out"},
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

void set_certificate(CertificateState& cert, Certificate status, TimePoint at) {
    cert.status = status;
    enter(cert.track, at);
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

bool body_is(const std::optional<std::string>& body, const std::string& wanted) {
    if (!body || wanted.empty()) return false;
    std::string_view text = *body;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    return text == wanted;
}

// A failed check: count it, show why, and either schedule the next one or give up.
// Returns true when the attempts are exhausted.
bool count_failure(Track& track, std::vector<std::string> errors, TimePoint now, double scale, int max_attempts) {
    ++track.attempts;
    track.errors = std::move(errors);
    if (track.attempts >= max_attempts) return true;
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
        case Certificate::pending_validation:
            cert.track.attempts = 0;
            cert.track.next_check = now;
            break;
        default: break;
    }
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

    if (checks.validation) {
        auto& cert = *state.certificate;
        bool validated =
            cnamed || contains(seen.dcv_txt, expected.dcv_token) || body_is(seen.dcv_http_body, expected.dcv_token);
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
    out.validation = state.certificate && state.certificate->status == Certificate::pending_validation &&
                     time_come(state.certificate->track);
    return out;
}

}  // namespace api::lifecycle
