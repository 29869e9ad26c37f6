#pragma once
// The two verifications of a custom hostname, as plain data, and every way they may move.
// Cloudflare keeps hostname ownership (`status`) and certificate validation (`ssl.status`)
// apart; both are decided here without I/O: callers load the state from storage, pass "now"
// from the one injected clock (and, in dns mode, what the probes saw), and store what comes
// back. Every function works from stored timestamps, so a restart or a clock that jumps
// forward resumes exactly where a running emulator would have been.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/custom_hostnames/validation_settings.hpp"
#include "api/time_text.hpp"

namespace api::lifecycle {

// Hostname ownership. Cloudflare's other values (active_redeploying, pending_blocked, test_*,
// ...) are undocumented or out of scope, so the emulator never produces them.
enum class Ownership { pending, active, moved, deleted, blocked };

// Certificate validation (ssl.status) for the states the emulator produces.
enum class Certificate {
    initializing,
    pending_validation,
    pending_issuance,
    pending_deployment,
    active,
    initializing_timed_out,
    validation_timed_out,
    issuance_timed_out,
    deployment_timed_out,
    expired  // past its end, not renewed: an uploaded certificate, or a DV pair whose renewal failed
};

std::string_view to_string(Ownership status);
std::string_view to_string(Certificate status);
std::optional<Ownership> parse_ownership(std::string_view text);
std::optional<Certificate> parse_certificate(std::string_view text);

// One verification's bookkeeping: when its status last changed, how many checks failed in a
// row, when the next check is due (dns mode), and the errors Cloudflare would show for it.
struct Track {
    TimePoint changed_at{};
    int attempts = 0;
    std::optional<TimePoint> next_check;
    std::vector<std::string> errors;
};

struct OwnershipState {
    Ownership status = Ownership::pending;
    Track track;
};

struct CertificateState {
    Certificate status = Certificate::initializing;
    bool uploaded = false;  // a customer's certificate: no DCV, deployed once ownership is proven
    Track track;
    // The end of the certificate served now: an uploaded leaf's not_after, or the DV pair's. A DV
    // certificate entering `active` gets a new one (activation + 90 days): the pair the caller
    // must then issue, dated at activation. None before a DV certificate's first activation;
    // a DV certificate in a pending state WITH one is renewing (its old pair still served).
    std::optional<TimePoint> expires_on;
    // Set by an emulator route: the next DV renewal fails with this message (then it is spent).
    std::optional<std::string> renewal_failure;
    // Not stored: set when a DV certificate became active in this call, so the caller issues the
    // pair for that activation even if its end falls in the same second as the stored pair's.
    bool pair_due = false;
    // How long an issued pair lasts: Cloudflare's 90 days for a hostname; a certificate pack's
    // validity_days.
    std::chrono::hours validity{90 * 24};
};

struct HostnameState {
    OwnershipState ownership;
    std::optional<CertificateState> certificate;  // none when the hostname has no `ssl`
};

// The state a new hostname starts in (what the create response shows): ownership pending;
// a DV certificate initializing; an uploaded one pending_deployment. In dns mode the first
// check is due at once.
HostnameState initial_state(TimePoint now, bool has_ssl, bool uploaded_certificate, Mode mode);

// auto mode: every verification moves one state per `step` elapsed since its last change,
// as many states as whole steps have passed; each intermediate change is stamped with the
// time it would have happened. A step of 0 settles everything at once. An uploaded
// certificate deploys one step after ownership became active. A clock that went backwards
// moves nothing. Returns whether anything changed.
bool advance_auto(HostnameState& state, TimePoint now, Duration step);

// dns mode: the states no probe decides (initializing -> pending_validation, and after DCV
// passed: pending_issuance -> pending_deployment -> active; an uploaded certificate after
// ownership) move one per step exactly as in auto mode. Returns whether anything changed.
bool advance_unprobed(HostnameState& state, TimePoint now, Duration step);

// Validation off: a DV certificate shows initializing in the create (or edit) answer only, as
// Cloudflare's does; the first settle after it moves it to pending_validation, where it stays.
// Returns whether anything changed.
bool advance_off(HostnameState& state);

// ---- manual mode (and the emulator routes in every mode) ----
// Each returns std::nullopt when the move happened, or why it is illegal (for a 4xx).
using Refusal = std::optional<std::string>;

Refusal verify_ownership(HostnameState& state, TimePoint now);   // pending -> active
Refusal advance_certificate(HostnameState& state, TimePoint now);  // one state forward
// The current pending certificate state -> its *_timed_out state, with `message` (if any)
// as the validation error.
Refusal fail_certificate(HostnameState& state, TimePoint now, const std::string& message = {});
Refusal block(HostnameState& state, TimePoint now);  // any but blocked -> blocked (held zone)
Refusal move(HostnameState& state, TimePoint now);   // pending / active -> moved

// A PATCH that repeats the hostname's ssl (Cloudflare's "refresh"): moved or deleted
// ownership returns to pending, a timed-out certificate starts a new cycle at initializing,
// attempt counters reset and both checks are due now. Blocked stays blocked.
void refresh(HostnameState& state, TimePoint now);

// A change of CA: an active DV certificate is issued anew through the pending states from
// `now` (initializing first), its current pair served until the new one is active. Anything
// else is left as it is (a pending certificate's coming issuance uses the new CA already).
void reissue(HostnameState& state, TimePoint now);

// ---- the clock: renewal and expiry (every mode, validation off included) ----
inline constexpr std::chrono::hours dv_validity{90 * 24};    // Cloudflare's DV certificates
inline constexpr std::chrono::hours renewal_window{30 * 24};  // renewal starts this long before the end

// How long before its end a DV certificate starts renewing: 30 days, or a third of a shorter
// validity (a 14-day certificate pack renews 112 hours before its end).
std::chrono::hours renewal_lead(const CertificateState& cert);

// Whether a DV certificate is renewing: pending again while its previous pair is still served.
bool renewing(const CertificateState& cert);

// Renewal and expiry up to `now`, each change stamped when it happened (so one clock jump over
// several windows renews several times, without stepping through the days in between):
// - a DV certificate `active` at expires_on - 30 d starts its renewal: pending_deployment (a
//   new pair is issued at once; it deploys by the mode's rules: a step in auto and dns mode,
//   the advance_certificate route in manual mode), or pending_issuance with `renewal_failure`
//   as its validation error when one is set; in dns mode the DCV is checked first (due()
//   reports it; apply_checks decides);
// - a renewal still pending at expires_on: `expired`, the old pair no longer served;
// - an uploaded certificate (never renewed) at its not_after: `expired`.
// The caller alternates it with the mode's advance (settle()) until neither changes anything.
// Returns whether anything changed.
bool run_clock(HostnameState& state, TimePoint now, Mode mode);

// The next instant at which run_clock() would change this hostname (a renewal start, a lapse,
// an expiry); none when only a request or a check can move it. Stored so the background
// settler finds those hostnames by an index, not by reading every settled one.
std::optional<TimePoint> clock_event_at(const HostnameState& state);

// Every move due at `now` in the configured mode (auto: advance_auto; dns: advance_unprobed and a
// moved hostname's expiry; off: advance_off; manual: none), alternated with run_clock until
// neither changes anything. Returns whether anything changed.
bool advance_all(HostnameState& state, TimePoint now, const ValidationSettings& validation);

// Emulator route: the next renewal fails with `message`; one already deploying fails now
// (pending_deployment -> pending_issuance). Refused for an uploaded certificate.
Refusal fail_renewal(HostnameState& state, TimePoint now, const std::string& message);

// The CA's wording when a renewal's DCV record is gone (dns mode): the emulator's own, as
// Cloudflare documents none for this case.
inline constexpr std::string_view error_renewal_dcv_missing =
    "Renewal could not be validated: the DCV token was not found at the hostname's validation record, "
    "and the hostname does not CNAME to this zone.";
inline constexpr std::string_view error_ca_internal = "Internal error with Certificate Authority. Please check later.";

// ---- dns mode ----
// Cloudflare's re-check delay after the n-th failed check (n from 0): floor(60 * 1.05^n) s for
// n < 10, floor(60 * 1.15^n) s after, never more than 4 h; multiplied by `scale` (tests and
// demos shrink it).
Duration retry_delay(int attempt, double scale);
inline constexpr int ownership_max_attempts = 75;  // ~7 days, then moved
inline constexpr int validation_max_attempts = 120;  // attempts 0..119 (~14.6 days), then timed out

// What the probes saw for one hostname. A nullopt lookup failed (SERVFAIL, timeout, refused);
// an empty one answered with nothing.
struct ProbeResults {
    std::optional<std::vector<std::string>> cname_chain;  // names the hostname CNAMEs to, in order
    std::optional<std::vector<std::string>> ownership_txt;  // TXT at _cf-custom-hostname.<host>
    std::optional<std::string> ownership_http_body;       // 200 body of the ownership URL
    std::optional<std::vector<std::string>> dcv_txt;      // TXT at _acme-challenge.<host>
    std::optional<std::string> dcv_http_body;             // 200 body of the ACME challenge URL
    // What the DNS server answered to the lookups that failed (the CNAME walk and the ownership
    // TXT; the DCV TXT), e.g. "127.0.0.1:5353 answered REFUSED to the CNAME query for x.io".
    std::vector<std::string> ownership_lookup_failures;
    std::vector<std::string> dcv_lookup_failures;
};

// What the probes must find.
struct Expectations {
    std::string cname_target;     // the zone's fallback origin or --cname-target; empty: none
    std::string ownership_token;  // TXT value and HTTP body of the ownership check
    std::string dcv_token;        // HTTP body of the DCV check
    // The TXT values the DCV records show, all needed (a wildcard certificate has two); empty:
    // the token itself.
    std::vector<std::string> dcv_txt_values = {};
    // A wildcard's DCV: its TXT records alone pass it (no HTTP token, no CNAME to the target).
    bool dcv_by_txt_only = false;
};

// Applies one round of checks that was due: ownership (pending) passes on a CNAME chain of
// at most 10 names reaching the target, or the token as a TXT value or HTTP body (failing
// while a DNS lookup failed, the errors name the server's answers, dns_lookup_error, not the
// customer's records); DCV
// (pending_validation) passes on the token, or when the hostname CNAMEs to the target
// (Cloudflare then answers the CA's challenge itself). A failure counts an attempt, sets
// Cloudflare's wording as the error and schedules the next check by retry_delay; after
// the last attempt ownership becomes moved, DCV validation_timed_out. Returns whether
// anything changed.
bool apply_checks(HostnameState& state, const Expectations& expected, const ProbeResults& seen, TimePoint now,
                  double scale);

// A hostname left moved for 7 days (times `scale`) is deleted, stamped when that happened
// (Cloudflare's documentation). Returns whether it changed.
inline constexpr std::chrono::hours moved_lifetime{7 * 24};
bool expire_moved(HostnameState& state, TimePoint now, double scale);

// Any PATCH in dns mode: the pending checks (ownership pending, DCV pending_validation) are due
// at `now`, attempts kept, so an edit after fixing the records is seen at once.
void check_now(HostnameState& state, TimePoint now);

// The one answer to "which checks of this hostname are due at `now`" (dns mode): ownership while
// pending, DCV while pending_validation, each once its next check time has come (none scheduled:
// due now); a renewal's DCV (active with a check scheduled, or pending_issuance of a renewal
// with one) once its time has come. apply_checks() runs exactly these; the settler probes
// exactly these.
struct DueChecks {
    bool ownership = false;
    bool validation = false;
    bool any() const { return ownership || validation; }
};
DueChecks due(const HostnameState& state, TimePoint now);

// Whether `chain` (the names a hostname CNAMEs to, in order) reaches `target` within the
// 10 CNAMEs Cloudflare follows. Case-insensitive; a trailing dot is ignored.
bool cname_reaches(const std::vector<std::string>& chain, std::string_view target);

// Cloudflare's wordings (Cloudflare's documentation).
inline constexpr std::string_view error_not_cname = "custom hostname does not CNAME to this zone.";
inline constexpr std::string_view error_token_not_found =
    "None of the A or AAAA records are owned by this account and the pre-generated ownership verification token "
    "was not found.";
inline constexpr std::string_view error_held_zone =
    "The hostname is associated with a held zone. Please contact the owner of this domain to have the hold removed.";
// The ownership error for a lookup the DNS server failed or refused: Cloudflare's wording for
// this case is unknown, and blaming the records would send the user to fix the wrong thing.
std::string dns_lookup_error(std::string_view failure);  // "DNS lookup failed: <failure>; ..."
inline constexpr std::string_view error_servfail =
    "Certificate authority encountered a SERVFAIL during DNS lookup, please check your DNS reachability.";

}  // namespace api::lifecycle
