// One dns-mode round of checks through fake probes: which names and URLs are looked at, how
// answers become ProbeResults, and that the round completes once whatever order answers come in;
// and the fallback origin's resolution check, driven through the API as a client sees it.
#include <doctest/doctest.h>

#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/settler_tasks.hpp"
#include "api/custom_hostnames/fallback_origin.hpp"
#include "api/custom_hostnames/validation_checks.hpp"
#include "support/service_fixture.hpp"

using namespace api;

namespace {

// Answers from tables; with `deferred` the answers wait until release() (as a real prober's
// thread would answer later), otherwise they come at once, inside the call.
struct FakeDns : DnsProbe {
    std::map<std::string, CnameChain> chains;
    std::map<std::string, TxtRecords> txts;
    std::map<std::string, ProbeStatus> addresses;
    std::vector<std::string> asked;
    std::vector<std::string> stop_at;  // the target each CNAME walk was told to end at
    bool deferred = false;
    std::vector<std::function<void()>> pending;

    void answer(std::function<void()> f) { deferred ? pending.push_back(std::move(f)) : f(); }
    void cname_chain(const std::string& name, int, const std::string& target,
                     std::function<void(CnameChain)> done) override {
        asked.push_back("CNAME " + name);
        stop_at.push_back(target);
        CnameChain found = chains.count(name) ? chains[name] : CnameChain{ProbeStatus::ok, {}};
        answer([=] { done(found); });
    }
    void txt(const std::string& name, std::function<void(TxtRecords)> done) override {
        asked.push_back("TXT " + name);
        TxtRecords found = txts.count(name) ? txts[name] : TxtRecords{ProbeStatus::not_found, {}};
        answer([=] { done(found); });
    }
    void has_address(const std::string& name, std::function<void(ProbeStatus)> done) override {
        asked.push_back("A/AAAA " + name);
        ProbeStatus found = addresses.count(name) ? addresses[name] : ProbeStatus::not_found;
        answer([=] { done(found); });
    }
};

struct FakeHttp : HttpProbe {
    std::map<std::string, HttpFetch> pages;
    std::vector<std::string> asked, agents;
    void get(const std::string& url, const std::string& user_agent, std::function<void(HttpFetch)> done) override {
        asked.push_back(url);
        agents.push_back(user_agent);
        done(pages.count(url) ? pages[url] : HttpFetch{ProbeStatus::failed, 404, "not found"});
    }
};

CheckTargets targets() { return {"app.acme.io", "0d89c70d-ad9f-4843-b99f-6cc0252067e9", "dcv-token"}; }

}  // namespace

TEST_SUITE_BEGIN("validation_checks");

TEST_CASE("checks: the names and URLs Cloudflare looks at, once each") {
    FakeDns dns;
    FakeHttp http;
    int calls = 0;
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults) { ++calls; });
    CHECK(calls == 1);
    CHECK(dns.asked == std::vector<std::string>{"CNAME app.acme.io", "TXT _cf-custom-hostname.app.acme.io",
                                                "TXT _acme-challenge.app.acme.io"});
    CHECK(http.asked == std::vector<std::string>{
                            "http://app.acme.io/.well-known/cf-custom-hostname-challenge/0d89c70d-ad9f-4843-b99f-6cc0252067e9",
                            "http://app.acme.io/.well-known/acme-challenge/dcv-token",
                            "http://app.acme.io/.well-known/pki-validation/dcv-token.txt"});
    CHECK(http.agents.front() == "Cloudflare Custom Hostname Verification");
}

TEST_CASE("checks: only what is pending is looked at; the CNAME chain always") {
    FakeDns dns;
    FakeHttp http;
    auto t = targets();
    t.ownership = false;
    t.validation = false;
    bool done = false;
    run_checks(dns, http, t, [&](lifecycle::ProbeResults) { done = true; });
    CHECK(done);
    CHECK(dns.asked == std::vector<std::string>{"CNAME app.acme.io"});
    CHECK(http.asked.empty());
}

TEST_CASE("checks: a wildcard is looked at only where its records were shown: TXT, never a URL or a CNAME walk") {
    FakeDns dns;
    FakeHttp http;
    auto t = targets();
    t.hostname = "shop.acme.io";  // the base name of *.shop.acme.io
    t.ownership_by_txt_only = true;
    t.dcv_by_txt_only = true;
    int calls = 0;
    run_checks(dns, http, t, [&](lifecycle::ProbeResults) { ++calls; });
    CHECK(calls == 1);
    CHECK(dns.asked == std::vector<std::string>{"TXT _cf-custom-hostname.shop.acme.io", "TXT _acme-challenge.shop.acme.io"});
    CHECK(http.asked.empty());

    SUBCASE("a wildcard certificate on a plain hostname: ownership by every means, DCV by TXT only") {
        FakeDns dns2;
        FakeHttp http2;
        t.ownership_by_txt_only = false;
        run_checks(dns2, http2, t, [&](lifecycle::ProbeResults) { ++calls; });
        CHECK(dns2.asked == std::vector<std::string>{"CNAME shop.acme.io", "TXT _cf-custom-hostname.shop.acme.io",
                                                     "TXT _acme-challenge.shop.acme.io"});
        CHECK(http2.asked == std::vector<std::string>{
                                 "http://shop.acme.io/.well-known/cf-custom-hostname-challenge/0d89c70d-ad9f-4843-b99f-6cc0252067e9"});
    }
    SUBCASE("nothing pending: the round still completes once") {
        FakeDns dns3;
        FakeHttp http3;
        t.ownership = false;
        t.validation = false;
        int done = 0;
        run_checks(dns3, http3, t, [&](lifecycle::ProbeResults) { ++done; });
        CHECK(done == 1);
        CHECK(dns3.asked.empty());
    }
}

TEST_CASE("checks: answers become results: found, none, failed") {
    FakeDns dns;
    FakeHttp http;
    dns.chains["app.acme.io"] = {ProbeStatus::ok, {"fallback.saas.io"}};
    dns.txts["_cf-custom-hostname.app.acme.io"] = {ProbeStatus::ok, {"token"}};
    dns.txts["_acme-challenge.app.acme.io"] = {ProbeStatus::failed, {}};
    http.pages["http://app.acme.io/.well-known/acme-challenge/dcv-token"] = {ProbeStatus::ok, 200, "dcv-token"};
    lifecycle::ProbeResults seen;
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults r) { seen = std::move(r); });
    CHECK(seen.cname_chain == std::vector<std::string>{"fallback.saas.io"});
    CHECK(seen.ownership_txt == std::vector<std::string>{"token"});
    CHECK_FALSE(seen.ownership_http_body);  // 404
    CHECK_FALSE(seen.dcv_txt);              // SERVFAIL
    CHECK(seen.dcv_http_body == "dcv-token");

    dns.txts.erase("_acme-challenge.app.acme.io");
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults r) { seen = std::move(r); });
    CHECK(seen.dcv_txt == std::vector<std::string>{});  // answered: no such record
}

TEST_CASE("checks: a lookup the DNS server failed is reported with its answer, not as missing records") {
    FakeDns dns;
    FakeHttp http;
    dns.chains["app.acme.io"] = {ProbeStatus::failed, {}, "127.0.0.1:53 answered REFUSED to the CNAME query for app.acme.io"};
    dns.txts["_cf-custom-hostname.app.acme.io"] = {ProbeStatus::timed_out, {},
                                                   "127.0.0.1:53 did not answer the TXT query for x (timed out)"};
    dns.txts["_acme-challenge.app.acme.io"] = {ProbeStatus::failed, {}, "127.0.0.1:53 answered SERVFAIL to y"};
    lifecycle::ProbeResults seen;
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults r) { seen = std::move(r); });
    CHECK_FALSE(seen.cname_chain);
    CHECK_FALSE(seen.ownership_txt);
    CHECK(seen.ownership_lookup_failures ==
          std::vector<std::string>{"127.0.0.1:53 answered REFUSED to the CNAME query for app.acme.io",
                                   "127.0.0.1:53 did not answer the TXT query for x (timed out)"});
    CHECK(seen.dcv_lookup_failures == std::vector<std::string>{"127.0.0.1:53 answered SERVFAIL to y"});

    // The lifecycle shows the server's answers as the ownership errors.
    const auto t0 = TimePoint{} + std::chrono::hours(500'000);
    auto state = lifecycle::initial_state(t0, false, false, lifecycle::Mode::dns);
    lifecycle::apply_checks(state, {"fallback.saas.io", "own-token", ""}, seen, t0, 1.0);
    CHECK(state.ownership.status == lifecycle::Ownership::pending);
    CHECK(state.ownership.track.errors ==
          std::vector<std::string>{
              "DNS lookup failed: 127.0.0.1:53 answered REFUSED to the CNAME query for app.acme.io; the hostname's "
              "records could not be checked.",
              "DNS lookup failed: 127.0.0.1:53 did not answer the TXT query for x (timed out); the hostname's records "
              "could not be checked."});
}

TEST_CASE("checks: the CNAME walk ends at the target, and a chain that reached it counts despite a later failure") {
    FakeDns dns;
    FakeHttp http;
    auto t = targets();
    t.cname_target = "fallback.saas.io";
    dns.chains["app.acme.io"] = {ProbeStatus::failed, {"fallback.saas.io"}, "refused past the target"};
    lifecycle::ProbeResults seen;
    run_checks(dns, http, t, [&](lifecycle::ProbeResults r) { seen = std::move(r); });
    CHECK(dns.stop_at == std::vector<std::string>{"fallback.saas.io"});
    CHECK(seen.cname_chain == std::vector<std::string>{"fallback.saas.io"});
    CHECK(seen.ownership_lookup_failures.empty());
}

TEST_CASE("checks: answers arriving later, in any order, complete the round once") {
    FakeDns dns;
    dns.deferred = true;
    FakeHttp http;
    int calls = 0;
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults) { ++calls; });
    CHECK(calls == 0);
    REQUIRE(dns.pending.size() == 3);
    dns.pending[2]();
    dns.pending[0]();
    CHECK(calls == 0);
    dns.pending[1]();
    CHECK(calls == 1);
}

TEST_CASE("checks: DCV over HTTP passes at the URL the validation record shows") {
    FakeDns dns;
    FakeHttp http;
    http.pages["http://app.acme.io/.well-known/pki-validation/dcv-token.txt"] = {ProbeStatus::ok, 200, "dcv-token\n"};
    lifecycle::ProbeResults seen;
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults r) { seen = std::move(r); });
    CHECK(seen.dcv_http_body == "dcv-token\n");
}

TEST_CASE("checks feed the lifecycle: a hostname CNAMEd to the zone passes both verifications") {
    FakeDns dns;
    FakeHttp http;
    dns.chains["app.acme.io"] = {ProbeStatus::ok, {"fallback.saas.io"}};
    const auto t0 = TimePoint{} + std::chrono::hours(500'000);
    auto state = lifecycle::initial_state(t0, true, false, lifecycle::Mode::dns);
    lifecycle::advance_unprobed(state, t0 + lifecycle::default_step, lifecycle::default_step);
    run_checks(dns, http, targets(), [&](lifecycle::ProbeResults r) {
        lifecycle::apply_checks(state, {"fallback.saas.io", "own-token", "dcv-token"}, r, t0 + std::chrono::seconds(1),
                                1.0);
    });
    CHECK(state.ownership.status == lifecycle::Ownership::active);
    CHECK(state.certificate->status == lifecycle::Certificate::pending_issuance);
}

namespace {

// The API in dns mode on a pinned clock, with the fallback origin's checks run by hand as the
// background settler runs them.
struct DnsModeApi : test_support::ServiceFixture {
    TimePoint clock = TimePoint{} + std::chrono::hours(500'000);
    const std::string zone = "023e105f4ecef8ad9ca31a8372d0c353";
    const std::string path = "/client/v4/zones/" + zone + "/custom_hostnames/fallback_origin";
    FakeDns dns;
    int wakes = 0;

    DnsModeApi() {
        context.now = [this] { return clock; };
        context.validation.enabled = true;
        context.validation.mode = lifecycle::Mode::dns;
        context.validation.backoff_scale = 0.001;  // Cloudflare's first minute: 60 ms
        context.validation.wake = [this] { ++wakes; };
    }
    nlohmann::json put(const std::string& origin) {
        auto r = call("PUT", path, nlohmann::json{{"origin", origin}}.dump());
        REQUIRE(r.status == 200);
        return nlohmann::json::parse(r.body)["result"];
    }
    nlohmann::json get() {
        auto r = call("GET", path);
        REQUIRE(r.status == 200);
        return nlohmann::json::parse(r.body)["result"];
    }
    // One settler tick: every origin whose check is due is checked; returns how many.
    int tick() {
        auto due = fallback_origins_due_for_check(context, 64);
        for (const auto& z : due) check_fallback_origin(context, dns, z, [] { return true; }, [] {});
        return static_cast<int>(due.size());
    }
};

const nlohmann::json not_resolving = nlohmann::json::array({std::string(error_origin_not_resolving)});

}  // namespace

TEST_CASE("dns mode: a fallback origin that does not resolve stays pending_deployment with Cloudflare's error") {
    DnsModeApi api;
    auto put = api.put("fallback.saas.io");
    CHECK(put["status"] == "pending_deployment");
    CHECK(api.wakes == 1);  // its first check is due now: the settler is asked to look
    // The step that activates it in the other modes is no reason here.
    api.clock += std::chrono::seconds(5);
    CHECK(api.get()["status"] == "pending_deployment");

    CHECK(api.tick() == 1);
    CHECK(api.dns.asked == std::vector<std::string>{"A/AAAA fallback.saas.io"});
    auto pending = api.get();
    CHECK(pending["status"] == "pending_deployment");
    CHECK(pending["errors"] == not_resolving);
    CHECK(pending["updated_at"] == put["updated_at"]);  // no status change

    // Not due again before Cloudflare's schedule (60 s after the first failure, scaled: 60 ms).
    api.clock += std::chrono::milliseconds(59);
    CHECK(api.tick() == 0);
    api.clock += std::chrono::milliseconds(1);
    api.dns.addresses["fallback.saas.io"] = ProbeStatus::failed;  // SERVFAIL: still not resolving
    CHECK(api.tick() == 1);
    CHECK(api.get()["errors"] == not_resolving);
    api.clock += std::chrono::milliseconds(62);  // floor(60 * 1.05) s, scaled
    CHECK(api.tick() == 0);
    api.clock += std::chrono::milliseconds(1);

    // The record appears: active at the next check, errors gone.
    api.dns.addresses["fallback.saas.io"] = ProbeStatus::ok;
    CHECK(api.tick() == 1);
    auto active = api.get();
    CHECK(active["status"] == "active");
    CHECK_FALSE(active.contains("errors"));
    CHECK(active["updated_at"] > put["updated_at"]);
    CHECK(api.tick() == 0);  // nothing left to check
}

TEST_CASE("dns mode: a PUT while a fallback origin check runs wins over its answer") {
    DnsModeApi api;
    api.put("old.saas.io");
    api.dns.deferred = true;
    api.dns.addresses["old.saas.io"] = ProbeStatus::ok;
    CHECK(api.tick() == 1);
    REQUIRE(api.dns.pending.size() == 1);
    api.clock += std::chrono::milliseconds(1);
    api.put("new.saas.io");
    api.dns.pending[0]();  // "old.saas.io resolves" arrives after the PUT: dropped
    auto shown = api.get();
    CHECK(shown["origin"] == "new.saas.io");
    CHECK(shown["status"] == "pending_deployment");
}

TEST_CASE("dns mode: a fallback origin that never resolves times out after the hostnames' 75 checks") {
    DnsModeApi api;
    api.put("never.saas.io");
    int checks = 0;
    while (api.get()["status"] == "pending_deployment" && checks < 100) {
        checks += api.tick();
        api.clock += std::chrono::minutes(1);  // past any scaled delay (at most 4 h x 0.001 = 14.4 s)
        api.clock += std::chrono::seconds(14);
    }
    CHECK(checks == origin_max_attempts);
    auto timed_out = api.get();
    CHECK(timed_out["status"] == "deployment_timed_out");
    CHECK(timed_out["errors"] == not_resolving);
    CHECK(api.tick() == 0);
    // A PUT starts over.
    CHECK(api.put("never.saas.io")["status"] == "pending_deployment");
    CHECK(api.tick() == 1);
}

TEST_CASE("other modes: the fallback origin is active a step after the PUT, whether it resolves or not") {
    DnsModeApi api;
    api.context.validation.mode = lifecycle::Mode::automatic;
    CHECK(api.put("fallback.saas.io")["status"] == "pending_deployment");
    CHECK(api.wakes == 0);
    api.clock += lifecycle::default_step - std::chrono::milliseconds(1);
    CHECK(api.get()["status"] == "pending_deployment");
    api.clock += std::chrono::milliseconds(1);
    auto active = api.get();
    CHECK(active["status"] == "active");
    CHECK_FALSE(active.contains("errors"));
}

TEST_SUITE_END();
