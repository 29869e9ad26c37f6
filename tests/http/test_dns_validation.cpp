// dns mode end to end: the binary checks a customer's records against a real dnsmasq (and a real
// HTTP origin for the token URLs), both started here, and a client polls until the hostname is
// active, or sees why it is not and how it times out on the scaled re-check schedule.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/api_client.hpp"
#include "support/dnsmasq.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/token_origin.hpp"

using namespace test_support;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::string dns_zone = "023e105f4ecef8ad9ca31a8372d0c353";
const std::string dns_hostnames = "/client/v4/zones/" + dns_zone + "/custom_hostnames";

// Cloudflare's wording for a hostname whose records do not prove it.
const std::string token_not_found =
    "None of the A or AAAA records are owned by this account and the pre-generated ownership verification token was "
    "not found.";

// What every test's DNS holds: the SaaS provider's fallback origin, and a record under the
// customer's domain so dnsmasq answers NXDOMAIN (not REFUSED) for the names it lacks.
DnsRecords base_records() {
    return {.cnames = {{"cname.acme.io", "fallback.saas.io"}},
            .txts = {},
            .addresses = {{"fallback.saas.io", "127.0.0.1"}, {"web.acme.io", "127.0.0.1"}},
            .not_authoritative = {}};
}

struct DnsModeServer {
    Dnsmasq dns;
    TokenOrigin origin;
    ServerProcess server;
    ApiClient api;

    explicit DnsModeServer(const std::string& backoff_scale, std::vector<std::string> extra = {},
                           const DnsRecords& records = base_records())
        : dns(records), origin(std::map<std::string, std::string>{}), server(args(backoff_scale, std::move(extra))), api(server) {}

    std::vector<std::string> args(const std::string& scale, std::vector<std::string> extra) {
        std::vector<std::string> out = {"--validation",         "dns",
                                        "--dns-server",         dns.address(),
                                        "--validation-step",    "50",
                                        "--validation-backoff-scale", scale,
                                        "--validation-http-port", std::to_string(origin.port())};
        out.insert(out.end(), extra.begin(), extra.end());
        return out;
    }

    json create(const std::string& name, const std::string& method) {
        auto created = api.post(dns_hostnames, {{"hostname", name}, {"ssl", {{"method", method}, {"type", "dv"}}}});
        REQUIRE(created.status == 201);
        return created.json()["result"];
    }

    json read(const json& hostname) {
        auto got = api.get(dns_hostnames + "/" + hostname["id"].get<std::string>());
        REQUIRE(got.status == 200);
        return got.json()["result"];
    }

    // Polls as a client would until `done` holds (or `limit` passes); returns the last read, which
    // the caller checks (so a timeout fails there, naming the field that never came right).
    json poll(const json& hostname, const std::function<bool(const json&)>& done,
              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        json last;
        (void)eventually([&] { return done(last = read(hostname)); }, limit, std::chrono::milliseconds(20));
        return last;
    }

    // Cloudflare's refresh: the same ssl again, which re-runs the checks at once.
    void refresh(const json& hostname, const std::string& method) {
        auto patched = api.patch(dns_hostnames + "/" + hostname["id"].get<std::string>(),
                                 {{"ssl", {{"method", method}, {"type", "dv"}}}});
        REQUIRE(patched.status == 202);
    }
};

bool both_active(const json& h) { return h["status"] == "active" && h["ssl"]["status"] == "active"; }

void check_active(const json& h, const std::string& name) {
    CHECK(h["hostname"] == name);
    CHECK(h["status"] == "active");
    CHECK(h["ssl"]["status"] == "active");
    CHECK_FALSE(h.contains("verification_errors"));
    CHECK_FALSE(h["ssl"].contains("validation_errors"));
    CHECK_FALSE(h["ssl"].contains("validation_records"));
    REQUIRE(h["ssl"].contains("certificates"));
    CHECK(h["ssl"]["certificates"].size() == 2);
    CHECK(h["ssl"]["hosts"] == json::array({name}));
    CHECK(h["ssl"]["certificate_authority"] == "google");
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_SUITE_BEGIN("dns_validation");

TEST_CASE("dns mode: --dns-server is required, and must be an address") {
    auto missing = run_emulator({"--validation", "dns"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--validation dns needs --dns-server") != std::string::npos);
    auto bad_scale = run_emulator({"--validation", "dns", "--dns-server", "127.0.0.1:53", "--validation-backoff-scale", "0"});
    CHECK(bad_scale.exit_code == 2);
    CHECK(bad_scale.err.find("--validation-backoff-scale") != std::string::npos);
    auto from_env = run_emulator({"--help"}, std::chrono::seconds(20), {{"CSR_EMULATOR_VALIDATION", "dns"}});
    CHECK(from_env.exit_code == 0);  // --help before the check
    auto env_missing = run_emulator({}, std::chrono::seconds(20), {{"CSR_EMULATOR_VALIDATION", "dns"}});
    CHECK(env_missing.exit_code == 2);
}

TEST_CASE("dns mode: ownership and DCV by a CNAME to the zone's fallback origin") {
    DnsModeServer s("0.001");
    REQUIRE(s.api.put("/client/v4/zones/" + dns_zone + "/custom_hostnames/fallback_origin",
                      {{"origin", "fallback.saas.io"}})
                .status == 200);
    auto start = Clock::now();
    json created = s.create("cname.acme.io", "txt");
    CHECK(created["status"] == "pending");
    CHECK(created["ssl"]["status"] == "initializing");
    json last = s.poll(created, both_active);
    MESSAGE("dns mode, CNAME: create -> active in " << seconds_since(start) << " s");
    check_active(last, "cname.acme.io");
}

TEST_CASE("dns mode: --cname-target wins over the fallback origin; a CNAME elsewhere is reported") {
    DnsRecords records = base_records();
    records.cnames.push_back({"other.acme.io", "elsewhere.example.io"});
    records.addresses.push_back({"elsewhere.example.io", "127.0.0.1"});
    DnsModeServer s("0.001", {"--cname-target", "fallback.saas.io"}, records);
    json good = s.create("cname.acme.io", "txt");
    json other = s.create("other.acme.io", "txt");
    check_active(s.poll(good, both_active), "cname.acme.io");
    json pending = s.poll(other, [](const json& h) { return h.contains("verification_errors"); });
    CHECK(pending["status"] == "pending");
    CHECK(pending["verification_errors"] == json::array({"custom hostname does not CNAME to this zone."}));
}

TEST_CASE("dns mode: ownership and DCV by TXT records, seen at once after a PATCH") {
    DnsModeServer s("0.001");
    auto start = Clock::now();
    json created = s.create("txt.acme.io", "txt");
    // No records yet: pending, with Cloudflare's reason.
    json waiting = s.poll(created, [](const json& h) {
        return h.contains("verification_errors") && h["ssl"]["status"] == "pending_validation";
    });
    CHECK(waiting["status"] == "pending");
    CHECK(waiting["verification_errors"] == json::array({token_not_found}));
    CHECK(waiting["ssl"]["status"] == "pending_validation");
    CHECK(waiting["ssl"]["validation_records"][0]["txt_name"] == "_acme-challenge.txt.acme.io");

    // The customer adds both records (and the delay grows meanwhile); the PATCH re-checks now.
    DnsRecords records = base_records();
    records.txts.push_back({created["ownership_verification"]["name"], created["ownership_verification"]["value"]});
    records.txts.push_back({waiting["ssl"]["validation_records"][0]["txt_name"],
                            waiting["ssl"]["validation_records"][0]["txt_value"]});
    s.dns.replace(records);
    auto fixed = Clock::now();
    s.refresh(created, "txt");
    json last = s.poll(created, both_active);
    MESSAGE("dns mode, TXT: create -> active in " << seconds_since(start) << " s (" << seconds_since(fixed)
                                                  << " s after the PATCH)");
    check_active(last, "txt.acme.io");
}

TEST_CASE("dns mode: ownership and DCV by HTTP tokens on the customer's origin") {
    DnsModeServer s("0.001");
    auto start = Clock::now();
    json created = s.create("web.acme.io", "http");
    json waiting = s.poll(created, [](const json& h) { return h["ssl"]["status"] == "pending_validation"; });
    REQUIRE(waiting["ssl"]["status"] == "pending_validation");
    CHECK(waiting["status"] == "pending");
    std::string dcv_token = waiting["ssl"]["validation_records"][0]["http_body"];

    // The paths Cloudflare (and its CA) fetch: the ownership URL as shown, and the ACME challenge.
    std::string ownership_url = created["ownership_verification_http"]["http_url"];
    s.origin.set(ownership_url.substr(std::string("http://web.acme.io").size()),
                 created["ownership_verification_http"]["http_body"]);
    s.origin.set("/.well-known/acme-challenge/" + dcv_token, dcv_token);
    s.refresh(created, "http");
    json last = s.poll(created, both_active);
    MESSAGE("dns mode, HTTP: create -> active in " << seconds_since(start) << " s");
    check_active(last, "web.acme.io");
    // Cloudflare's ownership fetcher names itself.
    auto agents = s.origin.user_agents();
    CHECK(std::find(agents.begin(), agents.end(), "Cloudflare Custom Hostname Verification") != agents.end());
}

TEST_CASE("dns mode: DCV over HTTP at the URL the validation record shows") {
    DnsModeServer s("0.001", {"--cname-target", "fallback.saas.io"});
    json created = s.create("web.acme.io", "http");
    json waiting = s.poll(created, [](const json& h) { return h["ssl"]["status"] == "pending_validation"; });
    REQUIRE(waiting["ssl"]["status"] == "pending_validation");
    const json& record = waiting["ssl"]["validation_records"][0];
    std::string url = record["http_url"];
    s.origin.set(url.substr(std::string("http://web.acme.io").size()), record["http_body"]);
    s.origin.set(created["ownership_verification_http"]["http_url"].get<std::string>().substr(
                     std::string("http://web.acme.io").size()),
                 created["ownership_verification_http"]["http_body"]);
    s.refresh(created, "http");
    check_active(s.poll(created, both_active), "web.acme.io");
}

TEST_CASE("dns mode: missing records stay pending, then time out on the scaled schedule") {
    // 5e-6: Cloudflare's ~7 days of ownership checks take ~3 s, its ~14.6 days of DCV ~6.3 s.
    const double scale = 5e-6;
    DnsModeServer s("0.000005");
    auto start = Clock::now();
    json created = s.create("missing.acme.io", "txt");

    json pending = s.poll(created, [](const json& h) { return h.contains("verification_errors"); });
    CHECK(pending["status"] == "pending");
    CHECK(pending["verification_errors"] == json::array({token_not_found}));

    // Cloudflare's schedule, scaled: floor(60 * 1.05^n) s for n < 10, then 1.15^n, at most 4 h.
    auto schedule = [&](int attempts) {
        double total = 0;
        for (int n = 0; n + 1 < attempts; ++n) {
            double growth = n < 10 ? 1.05 : 1.15;
            total += std::min(std::floor(60.0 * std::pow(growth, n)), 4.0 * 3600);
        }
        return total * scale;
    };
    json moved = s.poll(created, [](const json& h) { return h["status"] != "pending"; }, std::chrono::seconds(30));
    double moved_after = seconds_since(start);
    CHECK(moved["status"] == "moved");
    CHECK(moved["verification_errors"] == json::array({token_not_found}));
    CHECK(moved_after >= schedule(75));
    CHECK(moved_after < schedule(75) + 10);

    json timed_out = s.poll(created, [](const json& h) { return h["ssl"]["status"] != "pending_validation"; },
                            std::chrono::seconds(40));
    double timed_out_after = seconds_since(start);
    CHECK(timed_out["ssl"]["status"] == "validation_timed_out");
    CHECK(timed_out_after >= schedule(120));
    CHECK(timed_out_after < schedule(120) + 15);
    // A plain miss (NXDOMAIN) is no CA error: the certificate times out without one.
    CHECK_FALSE(timed_out["ssl"].contains("validation_errors"));
    // Moved for 7 (scaled) days: deleted.
    json deleted = s.poll(created, [](const json& h) { return h["status"] == "deleted"; }, std::chrono::seconds(20));
    CHECK(deleted["status"] == "deleted");
    MESSAGE("dns mode, missing records: moved after " << moved_after << " s (schedule " << schedule(75)
                                                      << " s), validation_timed_out after " << timed_out_after
                                                      << " s (schedule " << schedule(120) << " s)");
}

TEST_CASE("dns mode: a fallback origin becomes active only once it resolves through --dns-server") {
    DnsModeServer s("0.001");
    const std::string path = "/client/v4/zones/" + dns_zone + "/custom_hostnames/fallback_origin";
    auto get = [&] {
        auto got = s.api.get(path);
        REQUIRE(got.status == 200);
        return got.json()["result"];
    };
    auto put = s.api.put(path, {{"origin", "origin.saas.io"}});  // no record yet (saas.io answers NXDOMAIN)
    REQUIRE(put.status == 200);
    CHECK(put.json()["result"]["status"] == "pending_deployment");

    // Checked (and re-checked) without becoming active, well past the steps that activate it in
    // the other modes (50 ms here: the emulator's clock is moved on a second once checked).
    CHECK_EVENTUALLY(get().contains("errors"));
    advance_clock(s.api, "1s");
    json pending = get();
    CHECK(pending["status"] == "pending_deployment");
    CHECK(pending["errors"] ==
          json::array({"DNS records are not setup correctly. Origin should be a proxied A/AAAA/CNAME dns record"}));

    // The SaaS provider adds the record: active at a re-check on the scaled schedule.
    DnsRecords records = base_records();
    records.cnames.push_back({"origin.saas.io", "fallback.saas.io"});
    s.dns.replace(records);
    auto added = Clock::now();
    json last;
    (void)eventually([&] { return (last = get())["status"] != "pending_deployment"; }, std::chrono::seconds(20),
                     std::chrono::milliseconds(20));  // checked below
    MESSAGE("dns mode, fallback origin: active " << seconds_since(added) << " s after its record was added");
    CHECK(last["status"] == "active");
    CHECK(last["origin"] == "origin.saas.io");
    CHECK_FALSE(last.contains("errors"));
}

TEST_CASE("dns mode: a DNS server that refuses names its answer, not the customer's records") {
    // dnsmasq serves acme.io and saas.io only: a name elsewhere gets REFUSED, a failed lookup.
    DnsModeServer s("0.001", {"--log-level", "debug"});
    json created = s.create("shop.unserved.io", "txt");
    // Both ownership lookups refused and DCV's too (a check whose TXT lookup had not come back
    // yet, as on a slow sanitized run, lists only the CNAME's: the next one lists both).
    json failing = s.poll(created, [](const json& h) {
        return h["ssl"].contains("validation_errors") && h.contains("verification_errors") &&
               h["verification_errors"].size() == 2;
    });
    CHECK(failing["status"] == "pending");
    const std::string server = s.dns.address();
    CHECK(failing["verification_errors"] ==
          json::array({"DNS lookup failed: " + server +
                           " answered REFUSED to the CNAME query for shop.unserved.io; the hostname's records could "
                           "not be checked.",
                       "DNS lookup failed: " + server +
                           " answered REFUSED to the TXT query for _cf-custom-hostname.shop.unserved.io; the "
                           "hostname's records could not be checked."}));
    CHECK(failing["ssl"]["status"] == "pending_validation");
    // DCV keeps the CA's wording (Cloudflare's) for a failed lookup.
    CHECK(failing["ssl"]["validation_errors"] ==
          json::array({{{"message", "Certificate authority encountered a SERVFAIL during DNS lookup, please check "
                                    "your DNS reachability."}}}));
    // The log says which query the server refused, at debug level (written after the check's
    // result is stored: a read can see the result first).
    CHECK_EVENTUALLY(s.server.stderr_text().find("event=dns_lookup_failed") != std::string::npos);
    CHECK_EVENTUALLY(s.server.stderr_text().find(
                         "answered REFUSED to the TXT query for _acme-challenge.shop.unserved.io") != std::string::npos);
}

TEST_CASE("dns mode: a CNAME chain that reaches the fallback origin ends the walk there") {
    // The README's dnsmasq example without local= for the SaaS domain: asked for a CNAME of the
    // fallback origin itself, dnsmasq answers REFUSED. The chain already reached the target.
    DnsModeServer s("0.001", {}, {.cnames = {{"shop.customer.io", "fallback.saas.io"}},
                                  .txts = {},
                                  .addresses = {{"fallback.saas.io", "127.0.0.1"}},
                                  .not_authoritative = {"saas.io"}});
    REQUIRE(s.api.put("/client/v4/zones/" + dns_zone + "/custom_hostnames/fallback_origin",
                      {{"origin", "fallback.saas.io"}})
                .status == 200);
    json created = s.create("shop.customer.io", "txt");
    check_active(s.poll(created, both_active), "shop.customer.io");
}

TEST_CASE("dns mode: hostnames left pending by another mode are checked after a restart") {
    TempDir dir;
    std::string db = dir.file("state.sqlite3");
    json created;
    {
        ServerProcess off({"--db", db});
        ApiClient api(off);
        auto made = api.post(dns_hostnames, {{"hostname", "cname.acme.io"}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}});
        REQUIRE(made.status == 201);
        created = made.json()["result"];
        CHECK(created["status"] == "pending");
        CHECK(created["ssl"]["status"] == "initializing");
        CHECK(api.get(dns_hostnames + "/" + created["id"].get<std::string>()).json()["result"]["ssl"]["status"] ==
              "pending_validation");
    }
    DnsModeServer s("0.001", {"--db", db, "--cname-target", "fallback.saas.io"});
    check_active(s.poll(created, both_active), "cname.acme.io");
}

TEST_CASE("auto mode: the background settler activates hostnames without an API read") {
    ServerProcess server({"--validation", "auto", "--validation-step", "50"});
    ApiClient api(server);
    auto created = api.post(dns_hostnames, {{"hostname", "quiet.acme.io"}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}});
    REQUIRE(created.status == 201);
    // Four steps take 200 ms. Only the filtered list is read meanwhile: it shows stored statuses
    // and never settles a hostname it does not return, so the hostname appears in it only once
    // the settler has stored it active. (Polled, not slept: a loaded machine runs late.)
    json listed;
    auto listed_active = [&] {
        auto response = api.get(dns_hostnames + "?ssl_status=active");
        REQUIRE(response.status == 200);
        listed = response.json();
        return !listed["result"].empty();
    };
    REQUIRE_MESSAGE(eventually(listed_active), "the settler never stored the hostname active");
    REQUIRE(listed["result"].size() == 1);
    CHECK(listed["result"][0]["status"] == "active");
}

TEST_CASE("dns mode: wildcards are checked at exactly the TXT names they show, never a name with '*'") {
    DnsModeServer s("0.001", {"--cname-target", "fallback.saas.io"});
    SUBCASE("*.shop.acme.io: ownership and DCV by TXT at shop.acme.io's names") {
        json created = s.create("*.shop.acme.io", "txt");
        REQUIRE(created["ownership_verification"]["name"] == "_cf-custom-hostname.shop.acme.io");
        json waiting = s.poll(created, [](const json& h) { return h["ssl"]["status"] == "pending_validation"; });
        REQUIRE(waiting["ssl"]["validation_records"].size() == 1);
        const json& dcv = waiting["ssl"]["validation_records"][0];
        CHECK(dcv["txt_name"] == "_acme-challenge.shop.acme.io");
        DnsRecords records = base_records();
        records.txts.push_back({created["ownership_verification"]["name"], created["ownership_verification"]["value"]});
        records.txts.push_back({dcv["txt_name"], dcv["txt_value"]});
        s.dns.replace(records);
        s.refresh(created, "txt");
        json last = s.poll(created, both_active);
        CHECK(last["status"] == "active");
        CHECK(last["ssl"]["status"] == "active");
        CHECK(last["ssl"]["hosts"] == json::array({"*.shop.acme.io"}));
    }
    SUBCASE("ssl.wildcard: both TXT values are needed; a CNAME to the target proves ownership, not the wildcard's DCV") {
        auto made = s.api.post(dns_hostnames, {{"hostname", "cname.acme.io"},
                                           {"ssl", {{"method", "txt"}, {"type", "dv"}, {"wildcard", true}}}});
        REQUIRE(made.status == 201);
        json created = made.json()["result"];
        json waiting = s.poll(created, [](const json& h) {
            return h["status"] == "active" && h["ssl"]["status"] == "pending_validation" && h["ssl"].contains("validation_records");
        });
        REQUIRE(waiting["ssl"]["validation_records"].size() == 2);
        const json& first = waiting["ssl"]["validation_records"][0];
        const json& second = waiting["ssl"]["validation_records"][1];
        // One of the two published: still pending_validation after a re-check.
        DnsRecords records = base_records();
        records.txts.push_back({first["txt_name"], first["txt_value"]});
        s.dns.replace(records);
        s.refresh(created, "txt");
        json half = s.poll(created, [](const json& h) { return h["ssl"]["status"] != "pending_validation"; },
                           std::chrono::milliseconds(1500));
        CHECK(half["ssl"]["status"] == "pending_validation");
        // Both: validated and issued for the name and its wildcard.
        records.txts.push_back({second["txt_name"], second["txt_value"]});
        s.dns.replace(records);
        s.refresh(created, "txt");
        json last = s.poll(created, both_active);
        CHECK(last["ssl"]["status"] == "active");
        CHECK(last["ssl"]["hosts"] == json::array({"cname.acme.io", "*.cname.acme.io"}));
    }
}

TEST_SUITE_END();

TEST_CASE("dns mode: a renewal re-checks the DCV; with its TXT record gone it fails into pending_issuance") {
    DnsModeServer s("0.001");
    json created = s.create("renew.acme.io", "txt");
    json waiting = s.poll(created, [](const json& h) { return h["ssl"]["status"] == "pending_validation"; });
    DnsRecords records = base_records();
    records.txts.push_back({created["ownership_verification"]["name"], created["ownership_verification"]["value"]});
    json dcv = waiting["ssl"]["validation_records"][0];
    records.txts.push_back({dcv["txt_name"], dcv["txt_value"]});
    s.dns.replace(records);
    s.refresh(created, "txt");
    json active = s.poll(created, both_active);
    REQUIRE(active["ssl"]["status"] == "active");

    // The customer removes the DCV record; the clock reaches the renewal window.
    records.txts.pop_back();
    s.dns.replace(records);
    REQUIRE(s.api.post("/_emulator/clock", {{"advance", "61d"}}).status == 200);
    json failing = s.poll(created, [](const json& h) { return h["ssl"]["status"] == "pending_issuance"; });
    REQUIRE(failing["ssl"]["status"] == "pending_issuance");
    CHECK(failing["status"] == "active");
    CHECK(failing["ssl"]["validation_errors"][0]["message"].get<std::string>().rfind("Renewal could not be validated", 0) == 0);
    CHECK(failing["ssl"]["serial_number"] == active["ssl"]["serial_number"]);  // the old pair, still served

    // The record is back: a re-check on the (scaled) schedule renews with a new pair.
    records.txts.push_back({dcv["txt_name"], dcv["txt_value"]});
    s.dns.replace(records);
    json renewed = s.poll(created, [&](const json& h) {
        return h["ssl"]["status"] == "active" && h["ssl"]["serial_number"] != active["ssl"]["serial_number"];
    });
    CHECK(renewed["ssl"]["status"] == "active");
    CHECK(renewed["ssl"]["serial_number"] != active["ssl"]["serial_number"]);
    CHECK_FALSE(renewed["ssl"].contains("validation_errors"));
}
