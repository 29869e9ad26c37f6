// The validation lifecycle of a custom hostname, driven by hand-set times: what a user polling
// GET would see in each mode, after restarts and clock jumps, and on Cloudflare's retry schedule.
#include <doctest/doctest.h>

#include <chrono>

#include "api/custom_hostnames/lifecycle.hpp"

using namespace api::lifecycle;
using namespace std::chrono_literals;

namespace {

const api::TimePoint lifecycle_t0 = api::TimePoint{} + 1'800'000'000s;
constexpr Duration lifecycle_step = 250ms;

HostnameState dv(Mode mode = Mode::automatic) { return initial_state(lifecycle_t0, true, false, mode); }
HostnameState uploaded(Mode mode = Mode::automatic) { return initial_state(lifecycle_t0, true, true, mode); }

Certificate cert_status(const HostnameState& s) { return s.certificate->status; }

}  // namespace

TEST_SUITE_BEGIN("lifecycle");

TEST_CASE("initial states: what the create response shows") {
    CHECK(dv().ownership.status == Ownership::pending);
    CHECK(cert_status(dv()) == Certificate::initializing);
    CHECK(cert_status(uploaded()) == Certificate::pending_deployment);
    CHECK_FALSE(initial_state(lifecycle_t0, false, false, Mode::automatic).certificate);
    CHECK(dv(Mode::dns).ownership.track.next_check == lifecycle_t0);
}

TEST_CASE("status names round-trip as Cloudflare spells them") {
    CHECK(to_string(Certificate::validation_timed_out) == "validation_timed_out");
    CHECK(parse_certificate("pending_issuance") == Certificate::pending_issuance);
    CHECK(parse_ownership("moved") == Ownership::moved);
    CHECK_FALSE(parse_ownership("nonsense"));
    CHECK(parse_mode("auto") == Mode::automatic);
    CHECK_FALSE(parse_mode("Auto"));
}

TEST_CASE("auto: one state per step, each change stamped when it happened") {
    auto s = dv();
    CHECK_FALSE(advance_auto(s, lifecycle_t0 + 249ms, lifecycle_step));
    CHECK(advance_auto(s, lifecycle_t0 + 250ms, lifecycle_step));
    CHECK(s.ownership.status == Ownership::active);
    CHECK(s.ownership.track.changed_at == lifecycle_t0 + 250ms);
    CHECK(cert_status(s) == Certificate::pending_validation);
    CHECK(advance_auto(s, lifecycle_t0 + 600ms, lifecycle_step));
    CHECK(cert_status(s) == Certificate::pending_issuance);
    CHECK(s.certificate->track.changed_at == lifecycle_t0 + 500ms);
    advance_auto(s, lifecycle_t0 + 1s, lifecycle_step);
    CHECK(cert_status(s) == Certificate::active);
    CHECK(s.certificate->track.changed_at == lifecycle_t0 + 1s);
    CHECK_FALSE(advance_auto(s, lifecycle_t0 + 1h, lifecycle_step));
}

TEST_CASE("auto: a restart or a clock jump catches up from the stored timestamps") {
    auto s = dv();
    advance_auto(s, lifecycle_t0 + 10min, lifecycle_step);  // nothing ran in between
    CHECK(cert_status(s) == Certificate::active);
    CHECK(s.certificate->track.changed_at == lifecycle_t0 + 1s);  // when it would have become active
}

TEST_CASE("auto: a clock set backwards moves nothing") {
    auto s = dv();
    CHECK_FALSE(advance_auto(s, lifecycle_t0 - 1h, lifecycle_step));
    CHECK(cert_status(s) == Certificate::initializing);
}

TEST_CASE("auto: step 0 settles everything by the next read") {
    auto s = dv();
    advance_auto(s, lifecycle_t0, Duration(0));
    CHECK(s.ownership.status == Ownership::active);
    CHECK(cert_status(s) == Certificate::active);
}

TEST_CASE("auto: an uploaded certificate deploys one step after ownership, without DCV") {
    auto s = uploaded();
    advance_auto(s, lifecycle_t0 + 250ms, lifecycle_step);
    CHECK(s.ownership.status == Ownership::active);
    CHECK(cert_status(s) == Certificate::pending_deployment);
    advance_auto(s, lifecycle_t0 + 500ms, lifecycle_step);
    CHECK(cert_status(s) == Certificate::active);
}

TEST_CASE("manual: nothing moves by time; the routes move one state, illegal moves are refused") {
    auto s = dv(Mode::manual);
    CHECK(verify_ownership(s, lifecycle_t0 + 1s) == std::nullopt);
    CHECK(s.ownership.status == Ownership::active);
    CHECK(verify_ownership(s, lifecycle_t0 + 2s).has_value());

    for (auto expected : {Certificate::pending_validation, Certificate::pending_issuance,
                          Certificate::pending_deployment, Certificate::active}) {
        REQUIRE(advance_certificate(s, lifecycle_t0 + 3s) == std::nullopt);
        CHECK(cert_status(s) == expected);
    }
    CHECK(advance_certificate(s, lifecycle_t0 + 4s).value() == "ssl.status is active; it cannot advance");
    CHECK(fail_certificate(s, lifecycle_t0 + 4s).has_value());
}

TEST_CASE("manual: failing the certificate times out its current state, with the message") {
    auto s = dv(Mode::manual);
    advance_certificate(s, lifecycle_t0);
    REQUIRE(fail_certificate(s, lifecycle_t0 + 1s, "CAA records block issuance.") == std::nullopt);
    CHECK(cert_status(s) == Certificate::validation_timed_out);
    CHECK(s.certificate->track.errors == std::vector<std::string>{"CAA records block issuance."});
    CHECK(advance_certificate(s, lifecycle_t0 + 2s).has_value());
}

TEST_CASE("manual: an uploaded certificate waits for ownership") {
    auto s = uploaded(Mode::manual);
    CHECK(advance_certificate(s, lifecycle_t0).has_value());
    verify_ownership(s, lifecycle_t0);
    CHECK(advance_certificate(s, lifecycle_t0) == std::nullopt);
    CHECK(cert_status(s) == Certificate::active);
}

TEST_CASE("manual: no ssl, blocked and moved") {
    auto bare = initial_state(lifecycle_t0, false, false, Mode::manual);
    CHECK(advance_certificate(bare, lifecycle_t0).value() == "the custom hostname has no ssl");

    auto s = dv(Mode::manual);
    REQUIRE(move(s, lifecycle_t0) == std::nullopt);
    CHECK(s.ownership.status == Ownership::moved);
    CHECK(s.ownership.track.errors.at(0) == error_not_cname);
    REQUIRE(block(s, lifecycle_t0) == std::nullopt);
    CHECK(s.ownership.track.errors.at(0) == error_held_zone);
    CHECK(block(s, lifecycle_t0).has_value());
    CHECK(move(s, lifecycle_t0).has_value());
    CHECK(verify_ownership(s, lifecycle_t0).has_value());
}

TEST_CASE("refresh: moved ownership and a timed-out certificate start over; blocked stays") {
    auto s = dv(Mode::manual);
    move(s, lifecycle_t0);
    fail_certificate(s, lifecycle_t0);
    refresh(s, lifecycle_t0 + 1h);
    CHECK(s.ownership.status == Ownership::pending);
    CHECK(s.ownership.track.next_check == lifecycle_t0 + 1h);
    CHECK(cert_status(s) == Certificate::initializing);
    CHECK(s.certificate->track.changed_at == lifecycle_t0 + 1h);

    block(s, lifecycle_t0 + 2h);
    refresh(s, lifecycle_t0 + 3h);
    CHECK(s.ownership.status == Ownership::blocked);
}

TEST_CASE("backoff: Cloudflare's schedule, capped at 4 h, scaled") {
    CHECK(retry_delay(0, 1.0) == 60s);
    CHECK(retry_delay(1, 1.0) == 63s);    // floor(60 * 1.05)
    CHECK(retry_delay(9, 1.0) == 93s);    // floor(60 * 1.05^9) = floor(93.08)
    CHECK(retry_delay(10, 1.0) == 242s);  // floor(60 * 1.15^10) = floor(242.73)
    CHECK(retry_delay(40, 1.0) == 4h);
    CHECK(retry_delay(0, 0.001) == 60ms);

    Duration total{0};
    for (int n = 0; n < ownership_max_attempts; ++n) total += retry_delay(n, 1.0);
    auto days = std::chrono::duration<double, std::ratio<86400>>(total).count();
    CHECK(days > 6.5);  // "75 retries over 7 days"
    CHECK(days < 7.5);
}

TEST_CASE("cname_reaches: case, trailing dot, and the 10-CNAME limit") {
    CHECK(cname_reaches({"a.saas.io.", "Origin.SaaS.io."}, "origin.saas.io"));
    CHECK_FALSE(cname_reaches({"a.saas.io"}, "origin.saas.io"));
    CHECK_FALSE(cname_reaches({"a.saas.io"}, ""));
    std::vector<std::string> long_chain(10, "hop.example.net");
    long_chain.push_back("origin.saas.io");
    CHECK_FALSE(cname_reaches(long_chain, "origin.saas.io"));
    long_chain.erase(long_chain.begin());
    CHECK(cname_reaches(long_chain, "origin.saas.io"));
}

TEST_CASE("dns: ownership by CNAME, TXT or HTTP token; DCV by token or CNAME") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    SUBCASE("CNAME to the zone proves both") {
        auto s = dv(Mode::dns);
        advance_unprobed(s, lifecycle_t0, lifecycle_step);
        advance_unprobed(s, lifecycle_t0 + lifecycle_step, lifecycle_step);
        REQUIRE(cert_status(s) == Certificate::pending_validation);
        ProbeResults seen;
        seen.cname_chain = std::vector<std::string>{"origin.saas.io"};
        CHECK(apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0));
        CHECK(s.ownership.status == Ownership::active);
        CHECK(cert_status(s) == Certificate::pending_issuance);
        advance_unprobed(s, lifecycle_t0 + 2s, lifecycle_step);
        CHECK(cert_status(s) == Certificate::active);
    }
    SUBCASE("TXT tokens") {
        auto s = dv(Mode::dns);
        advance_unprobed(s, lifecycle_t0 + 1s, lifecycle_step);
        ProbeResults seen;
        seen.cname_chain = std::vector<std::string>{};
        seen.ownership_txt = std::vector<std::string>{"other", "own-token"};
        seen.dcv_txt = std::vector<std::string>{"dcv-token"};
        apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0);
        CHECK(s.ownership.status == Ownership::active);
        CHECK(cert_status(s) == Certificate::pending_issuance);
    }
    SUBCASE("HTTP bodies (surrounding whitespace ignored)") {
        auto s = dv(Mode::dns);
        advance_unprobed(s, lifecycle_t0 + 1s, lifecycle_step);
        ProbeResults seen;
        seen.ownership_http_body = "own-token\n";
        seen.dcv_http_body = "dcv-token";
        apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0);
        CHECK(s.ownership.status == Ownership::active);
        CHECK(cert_status(s) == Certificate::pending_issuance);
    }
}

TEST_CASE("dns: a wildcard's DCV needs every TXT value shown, and nothing but them") {
    Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    expected.dcv_txt_values = {"value-for-name", "value-for-wildcard"};
    expected.dcv_by_txt_only = true;
    auto pending = [] {
        auto s = dv(Mode::dns);
        advance_unprobed(s, lifecycle_t0 + 1s, lifecycle_step);
        REQUIRE(cert_status(s) == Certificate::pending_validation);
        return s;
    };
    SUBCASE("one of the two: still pending_validation") {
        auto s = pending();
        ProbeResults seen;
        seen.dcv_txt = std::vector<std::string>{"value-for-name"};
        apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0);
        CHECK(cert_status(s) == Certificate::pending_validation);
    }
    SUBCASE("a CNAME to the target or the HTTP token do not validate a wildcard") {
        auto s = pending();
        ProbeResults seen;
        seen.cname_chain = std::vector<std::string>{"origin.saas.io"};
        seen.dcv_http_body = "dcv-token";
        seen.dcv_txt = std::vector<std::string>{};
        apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0);
        CHECK(s.ownership.status == Ownership::active);  // the CNAME still proves ownership
        CHECK(cert_status(s) == Certificate::pending_validation);
    }
    SUBCASE("both: validated") {
        auto s = pending();
        ProbeResults seen;
        seen.dcv_txt = std::vector<std::string>{"value-for-wildcard", "other", "value-for-name"};
        apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0);
        CHECK(cert_status(s) == Certificate::pending_issuance);
    }
}

TEST_CASE("validation off: a DV certificate leaves initializing at the first settle, stamped at its creation") {
    auto s = dv(Mode::automatic);
    REQUIRE(cert_status(s) == Certificate::initializing);
    CHECK(advance_off(s));
    CHECK(cert_status(s) == Certificate::pending_validation);
    CHECK(s.certificate->track.changed_at == lifecycle_t0);
    CHECK_FALSE(advance_off(s));  // and stays there
    auto uploaded = initial_state(lifecycle_t0, true, true, Mode::automatic);
    CHECK_FALSE(advance_off(uploaded));
    CHECK(uploaded.certificate->status == Certificate::pending_deployment);
}

TEST_CASE("dns: a failed check shows Cloudflare's wording and waits for the schedule") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    auto s = dv(Mode::dns);
    advance_unprobed(s, lifecycle_t0 + 1s, lifecycle_step);
    ProbeResults seen;
    seen.cname_chain = std::vector<std::string>{"elsewhere.example.net"};
    seen.ownership_txt = std::vector<std::string>{};
    // dcv_txt unset: the lookup failed
    REQUIRE(apply_checks(s, expected, seen, lifecycle_t0 + 1s, 1.0));
    CHECK(s.ownership.status == Ownership::pending);
    CHECK(s.ownership.track.errors == std::vector<std::string>{std::string(error_not_cname)});
    CHECK(s.ownership.track.attempts == 1);
    CHECK(s.ownership.track.next_check == lifecycle_t0 + 1s + 60s);
    CHECK(s.certificate->track.errors == std::vector<std::string>{std::string(error_servfail)});

    CHECK_FALSE(due(s, lifecycle_t0 + 30s).any());
    CHECK_FALSE(apply_checks(s, expected, seen, lifecycle_t0 + 30s, 1.0));  // not due: nothing counted
    CHECK(s.ownership.track.attempts == 1);
    CHECK(due(s, lifecycle_t0 + 61s).any());

    seen.cname_chain = std::vector<std::string>{};
    apply_checks(s, expected, seen, lifecycle_t0 + 61s, 1.0);
    CHECK(s.ownership.track.errors.at(0) == error_token_not_found);
    CHECK(s.ownership.track.next_check == lifecycle_t0 + 61s + 63s);
}

TEST_CASE("dns: retries exhausted: ownership moved, DCV validation_timed_out; a PATCH refresh starts over") {
    const Expectations expected{"origin.saas.io", "own-token", "dcv-token"};
    auto s = dv(Mode::dns);
    advance_unprobed(s, lifecycle_t0 + 1s, lifecycle_step);
    ProbeResults nothing;
    nothing.cname_chain = std::vector<std::string>{};
    nothing.dcv_txt = std::vector<std::string>{};
    api::TimePoint now = lifecycle_t0 + 1s;
    for (int i = 0; i < validation_max_attempts && due(s, now).any(); ++i) {
        apply_checks(s, expected, nothing, now, 0.001);
        now += 20s;  // past every scaled delay (the 4 h cap scales to 14.4 s)
    }
    CHECK(s.ownership.status == Ownership::moved);
    CHECK(cert_status(s) == Certificate::validation_timed_out);
    CHECK_FALSE(due(s, now).any());

    refresh(s, now);
    CHECK(s.ownership.status == Ownership::pending);
    CHECK(cert_status(s) == Certificate::initializing);
    CHECK(due(s, now).any());
}

TEST_CASE("dns: a hostname left moved for 7 days is deleted; a refresh brings it back to pending") {
    auto s = dv(Mode::dns);
    move(s, lifecycle_t0);
    CHECK_FALSE(expire_moved(s, lifecycle_t0 + 167h, 1.0));
    CHECK(expire_moved(s, lifecycle_t0 + 200h, 1.0));
    CHECK(s.ownership.status == Ownership::deleted);
    CHECK(s.ownership.track.changed_at == lifecycle_t0 + 168h);
    CHECK_FALSE(expire_moved(s, lifecycle_t0 + 300h, 1.0));

    auto scaled = dv(Mode::dns);
    move(scaled, lifecycle_t0);
    CHECK(expire_moved(scaled, lifecycle_t0 + 605s, 0.001));  // 7 days * 0.001 = 604.8 s

    refresh(s, lifecycle_t0 + 301h);
    CHECK(s.ownership.status == Ownership::pending);
}

TEST_SUITE_END();

TEST_CASE("dns: check_now makes the pending checks due at once, attempts kept") {
    auto s = dv(Mode::dns);
    advance_unprobed(s, lifecycle_t0 + lifecycle_step, lifecycle_step);
    REQUIRE(s.certificate->status == Certificate::pending_validation);
    s.ownership.track.attempts = 3;
    s.ownership.track.next_check = lifecycle_t0 + 1h;
    s.certificate->track.next_check = lifecycle_t0 + 1h;
    CHECK_FALSE(due(s, lifecycle_t0 + 1s).any());
    check_now(s, lifecycle_t0 + 1s);
    CHECK(due(s, lifecycle_t0 + 1s).any());
    CHECK(s.ownership.track.next_check == lifecycle_t0 + 1s);
    CHECK(s.certificate->track.next_check == lifecycle_t0 + 1s);
    CHECK(s.ownership.track.attempts == 3);
    // Nothing pending: nothing made due.
    auto done = dv(Mode::dns);
    done.ownership.status = Ownership::active;
    done.ownership.track.next_check.reset();
    check_now(done, lifecycle_t0);
    CHECK_FALSE(done.ownership.track.next_check);
}
