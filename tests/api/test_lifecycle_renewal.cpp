// Renewal and expiry on the clock, driven by hand-set times: what a client polling GET sees over
// months, in each mode, and after clock jumps over several renewal windows.
#include <doctest/doctest.h>

#include <chrono>

#include "api/custom_hostnames/lifecycle.hpp"

using namespace api::lifecycle;
using namespace std::chrono_literals;

namespace {

const api::TimePoint renewal_t0 = api::TimePoint{} + 1'800'000'000s;
constexpr Duration renewal_step = 250ms;
constexpr auto renewal_day = std::chrono::hours(24);

// What settle() does: the mode's moves and the clock, alternated until nothing is left.
void settle(HostnameState& s, api::TimePoint now, Mode mode = Mode::automatic) {
    for (bool moved = true; moved;) {
        moved = false;
        if (mode == Mode::automatic) moved = advance_auto(s, now, renewal_step);
        if (mode == Mode::dns) moved = advance_unprobed(s, now, renewal_step);
        moved = run_clock(s, now, mode) || moved;
    }
}

// A DV hostname active from t0 + 1 s (four steps), its pair ending 90 days after.
HostnameState active_dv(Mode mode = Mode::automatic) {
    auto s = initial_state(renewal_t0, true, false, mode);
    if (mode == Mode::manual) {
        verify_ownership(s, renewal_t0);
        for (int i = 0; i < 4; ++i) advance_certificate(s, renewal_t0 + 1s);
    } else if (mode == Mode::dns) {
        s.ownership.status = Ownership::active;
        s.ownership.track.next_check.reset();
        s.certificate->status = Certificate::pending_deployment;
        s.certificate->track.changed_at = renewal_t0 + 750ms;
        settle(s, renewal_t0 + 1s, mode);
    } else {
        settle(s, renewal_t0 + 1s);
    }
    return s;
}

HostnameState uploaded_until(api::TimePoint not_after) {
    auto s = initial_state(renewal_t0, true, true, Mode::automatic);
    s.certificate->expires_on = not_after;
    settle(s, renewal_t0 + 1s);
    return s;
}

Certificate status(const HostnameState& s) { return s.certificate->status; }

}  // namespace

TEST_SUITE_BEGIN("lifecycle_renewal");

TEST_CASE("a DV certificate's pair ends 90 days after it became active") {
    auto s = active_dv();
    REQUIRE(status(s) == Certificate::active);
    CHECK(s.certificate->expires_on == renewal_t0 + 1s + dv_validity);
    CHECK(clock_event_at(s) == renewal_t0 + 1s + 60 * renewal_day);
}

TEST_CASE("renewal starts 30 days before the end: pending_deployment, then active with a new pair") {
    auto s = active_dv();
    const auto renew_at = renewal_t0 + 1s + 60 * renewal_day;
    settle(s, renew_at - 1ms);
    CHECK(status(s) == Certificate::active);

    settle(s, renew_at + 100ms);
    CHECK(status(s) == Certificate::pending_deployment);
    CHECK(s.certificate->track.changed_at == renew_at);
    CHECK(renewing(*s.certificate));
    CHECK(s.certificate->expires_on == renewal_t0 + 1s + dv_validity);  // the old pair, still served
    CHECK(clock_event_at(s) == renewal_t0 + 1s + dv_validity);          // its lapse, if it never deploys

    settle(s, renew_at + renewal_step);
    CHECK(status(s) == Certificate::active);
    CHECK(s.certificate->track.changed_at == renew_at + renewal_step);
    CHECK(s.certificate->expires_on == renew_at + renewal_step + dv_validity);
}

TEST_CASE("one clock jump over several renewal windows renews several times, each dated when it happened") {
    auto s = active_dv();
    settle(s, renewal_t0 + 200 * renewal_day);
    // Activations at 1 s, then 60 d + 1 step later each time: 60 d + 1.25 s, 120 d + 1.5 s, 180 d + 1.75 s.
    CHECK(status(s) == Certificate::active);
    const auto last = renewal_t0 + 1s + 3 * (60 * renewal_day + renewal_step);
    CHECK(s.certificate->track.changed_at == last);
    CHECK(s.certificate->expires_on == last + dv_validity);
    // And a jump of 100 years ends in a handful of turns per renewal, not a day-by-day walk.
    auto far = active_dv();
    settle(far, renewal_t0 + 100 * 365 * renewal_day);
    CHECK(status(far) == Certificate::active);
    CHECK(*far.certificate->expires_on > renewal_t0 + 100 * 365 * renewal_day + 30 * renewal_day);
}

TEST_CASE("a renewal made to fail: pending_issuance with the CA's reason, held, then expired at the end") {
    auto s = active_dv();
    REQUIRE_FALSE(fail_renewal(s, renewal_t0 + 2s, ""));
    CHECK(status(s) == Certificate::active);  // the next renewal fails, not this certificate
    const auto renew_at = renewal_t0 + 1s + 60 * renewal_day;
    settle(s, renew_at + 1h);
    CHECK(status(s) == Certificate::pending_issuance);
    CHECK(s.certificate->track.changed_at == renew_at);
    CHECK(s.certificate->track.errors == std::vector<std::string>{std::string(error_ca_internal)});
    CHECK_FALSE(s.certificate->renewal_failure);  // spent
    settle(s, renew_at + 29 * renewal_day);
    CHECK(status(s) == Certificate::pending_issuance);  // no step moves a failed issuance

    settle(s, renew_at + 31 * renewal_day);
    CHECK(status(s) == Certificate::expired);
    CHECK(s.certificate->track.changed_at == renewal_t0 + 1s + dv_validity);
    CHECK(s.certificate->track.errors == std::vector<std::string>{std::string(error_ca_internal)});
    CHECK_FALSE(clock_event_at(s));

    // A refresh issues anew from the start; no old pair is left to serve.
    refresh(s, renew_at + 32 * renewal_day);
    CHECK(status(s) == Certificate::initializing);
    CHECK_FALSE(s.certificate->expires_on);
    settle(s, renew_at + 32 * renewal_day + 1s);
    CHECK(status(s) == Certificate::active);
}

TEST_CASE("a failed renewal refreshed before the end deploys; one deploying fails at once on the route") {
    auto s = active_dv();
    const auto renew_at = renewal_t0 + 1s + 60 * renewal_day;
    fail_renewal(s, renewal_t0 + 2s, "CAA records block issuance.");
    settle(s, renew_at);
    REQUIRE(status(s) == Certificate::pending_issuance);
    refresh(s, renew_at + 1h);
    CHECK(s.certificate->track.errors.empty());
    settle(s, renew_at + 1h + 2 * renewal_step);
    CHECK(status(s) == Certificate::active);
    CHECK(s.certificate->expires_on == renew_at + 1h + 2 * renewal_step + dv_validity);

    auto deploying = active_dv();
    settle(deploying, renew_at + 100ms);
    REQUIRE(status(deploying) == Certificate::pending_deployment);
    REQUIRE_FALSE(fail_renewal(deploying, renew_at + 200ms, "boom"));
    CHECK(status(deploying) == Certificate::pending_issuance);
    CHECK(deploying.certificate->track.errors == std::vector<std::string>{"boom"});
}

TEST_CASE("an uploaded certificate never renews: expired at its not_after, and a refresh keeps it so") {
    const auto not_after = renewal_t0 + 45 * renewal_day;
    auto s = uploaded_until(not_after);
    REQUIRE(status(s) == Certificate::active);
    CHECK(clock_event_at(s) == not_after);
    settle(s, not_after - 1s);
    CHECK(status(s) == Certificate::active);
    settle(s, not_after + 10 * renewal_day);
    CHECK(status(s) == Certificate::expired);
    CHECK(s.certificate->track.changed_at == not_after);
    CHECK_FALSE(clock_event_at(s));
    refresh(s, not_after + 11 * renewal_day);
    CHECK(status(s) == Certificate::expired);
    CHECK(fail_renewal(s, not_after, ""));  // refused: nothing to renew
}

TEST_CASE("validation off and manual mode: the clock still renews and expires") {
    // manual: the renewal starts on the clock and deploys by the route, as every pending state there.
    auto s = active_dv(Mode::manual);
    REQUIRE(status(s) == Certificate::active);
    const auto renew_at = *s.certificate->expires_on - renewal_window;
    settle(s, renew_at + 1h, Mode::manual);
    CHECK(status(s) == Certificate::pending_deployment);
    REQUIRE_FALSE(advance_certificate(s, renew_at + 2h));
    CHECK(status(s) == Certificate::active);
    CHECK(s.certificate->expires_on == renew_at + 2h + dv_validity);
    // Left pending past the end, it lapses.
    settle(s, *s.certificate->expires_on + 1h, Mode::manual);
    CHECK(status(s) == Certificate::expired);
}

TEST_CASE("dns: a renewal checks the DCV again; gone records fail it into pending_issuance on the retry schedule") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    auto s = active_dv(Mode::dns);
    REQUIRE(status(s) == Certificate::active);
    const auto renew_at = *s.certificate->expires_on - renewal_window;
    CHECK_FALSE(due(s, renew_at).validation);
    settle(s, renew_at + 1s, Mode::dns);
    CHECK(status(s) == Certificate::active);  // waiting for its check
    CHECK(due(s, renew_at + 1s).validation);
    CHECK_FALSE(clock_event_at(s));  // the check owns it now

    ProbeResults gone;
    gone.cname_chain = std::vector<std::string>{};
    gone.dcv_txt = std::vector<std::string>{};
    REQUIRE(apply_checks(s, expected, gone, renew_at + 1s, 1.0));
    CHECK(status(s) == Certificate::pending_issuance);
    CHECK(s.certificate->track.errors == std::vector<std::string>{std::string(error_renewal_dcv_missing)});
    CHECK(s.certificate->track.next_check == renew_at + 1s + 60s);
    settle(s, renew_at + 2h, Mode::dns);
    CHECK(status(s) == Certificate::pending_issuance);  // only a check moves it

    ProbeResults back = gone;
    back.dcv_txt = std::vector<std::string>{"dcv-token"};
    REQUIRE(apply_checks(s, expected, back, renew_at + 2h, 1.0));
    CHECK(status(s) == Certificate::pending_deployment);
    settle(s, renew_at + 2h + renewal_step, Mode::dns);
    CHECK(status(s) == Certificate::active);
    CHECK(s.certificate->expires_on == renew_at + 2h + renewal_step + dv_validity);
}

TEST_CASE("dns: records still in place renew straight to pending_deployment") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    auto s = active_dv(Mode::dns);
    const auto renew_at = *s.certificate->expires_on - renewal_window;
    settle(s, renew_at, Mode::dns);
    ProbeResults cnamed;
    cnamed.cname_chain = std::vector<std::string>{"origin.saas.io"};
    cnamed.dcv_txt = std::vector<std::string>{};
    REQUIRE(apply_checks(s, expected, cnamed, renew_at + 1s, 1.0));
    CHECK(status(s) == Certificate::pending_deployment);
    CHECK(s.certificate->track.errors.empty());
}

TEST_CASE("dns: ownership never proven ends after Cloudflare's ~7 days even when a clock jump skipped the checks") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    ProbeResults nothing;
    nothing.cname_chain = std::vector<std::string>{};
    nothing.ownership_txt = std::vector<std::string>{};
    nothing.dcv_txt = std::vector<std::string>{};
    auto s = initial_state(renewal_t0, true, false, Mode::dns);
    // One check a day for six days: still pending (the schedule runs ~7 days).
    for (int d = 0; d < 6; ++d) apply_checks(s, expected, nothing, renewal_t0 + d * renewal_day, 1.0);
    CHECK(s.ownership.status == Ownership::pending);
    CHECK(s.ownership.track.attempts == 6);
    // The clock jumped past the schedule: the next check, failing, is the last.
    apply_checks(s, expected, nothing, renewal_t0 + 8 * renewal_day, 1.0);
    CHECK(s.ownership.status == Ownership::moved);
    CHECK(expire_moved(s, renewal_t0 + 16 * renewal_day, 1.0));
    CHECK(s.ownership.status == Ownership::deleted);
}

TEST_CASE("dns: DCV never validated times out after the ~14.6-day schedule, however few checks ran") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    ProbeResults nothing;
    nothing.cname_chain = std::vector<std::string>{};
    nothing.dcv_txt = std::vector<std::string>{};
    auto s = initial_state(renewal_t0, true, false, Mode::dns);
    s.ownership.status = Ownership::active;
    advance_unprobed(s, renewal_t0 + renewal_step, renewal_step);
    REQUIRE(status(s) == Certificate::pending_validation);
    apply_checks(s, expected, nothing, renewal_t0 + 14 * renewal_day, 1.0);
    CHECK(status(s) == Certificate::pending_validation);
    apply_checks(s, expected, nothing, renewal_t0 + 15 * renewal_day, 1.0);
    CHECK(status(s) == Certificate::validation_timed_out);
}

TEST_CASE("expired reads and writes as Cloudflare spells it") {
    CHECK(to_string(Certificate::expired) == "expired");
    CHECK(parse_certificate("expired") == Certificate::expired);
}

TEST_SUITE_END();
