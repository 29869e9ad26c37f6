// One dns-mode round of checks through fake probes: which names and URLs are looked at, how
// answers become ProbeResults, and that the round completes once whatever order answers come in.
#include <doctest/doctest.h>

#include <map>
#include <vector>

#include "api/custom_hostnames/validation_checks.hpp"

using namespace api;

namespace {

// Answers from tables; with `deferred` the answers wait until release() (as a real prober's
// thread would answer later), otherwise they come at once, inside the call.
struct FakeDns : DnsProbe {
    std::map<std::string, CnameChain> chains;
    std::map<std::string, TxtRecords> txts;
    std::vector<std::string> asked;
    bool deferred = false;
    std::vector<std::function<void()>> pending;

    void answer(std::function<void()> f) { deferred ? pending.push_back(std::move(f)) : f(); }
    void cname_chain(const std::string& name, int, std::function<void(CnameChain)> done) override {
        asked.push_back("CNAME " + name);
        CnameChain found = chains.count(name) ? chains[name] : CnameChain{ProbeStatus::ok, {}};
        answer([=] { done(found); });
    }
    void txt(const std::string& name, std::function<void(TxtRecords)> done) override {
        asked.push_back("TXT " + name);
        TxtRecords found = txts.count(name) ? txts[name] : TxtRecords{ProbeStatus::not_found, {}};
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

TEST_SUITE_END();
