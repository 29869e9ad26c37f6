// The real probes against a real DNS server (dnsmasq) and a real HTTP origin: what dns-mode
// validation will see when a customer sets up (or fails to set up) their records.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "server/dns_client.hpp"
#include "server/http_probe.hpp"
#include "support/dnsmasq.hpp"
#include "support/loopback_socket.hpp"
#include "support/token_origin.hpp"

using namespace test_support;
using api::ProbeStatus;

namespace {

// Waits for a probe's callback; a probe that never answers fails the test instead of hanging.
template <typename Result, typename Start>
Result await(Start start) {
    auto promise = std::make_shared<std::promise<Result>>();
    auto future = promise->get_future();
    start([promise](Result r) { promise->set_value(std::move(r)); });
    REQUIRE(future.wait_for(std::chrono::seconds(15)) == std::future_status::ready);
    return future.get();
}

const DnsRecords customer_records{
    .cnames = {{"app.acme.io", "hop1.acme.io"},
               {"hop1.acme.io", "hop2.acme.io"},
               {"hop2.acme.io", "fallback.saas.io"},
               {"www.acme.io", "fallback.saas.io"}},
    .txts = {{"_cf-custom-hostname.shop.acme.io", "0d89c70d-ad9f-4843-b99f-6cc0252067e9"},
             {"_acme-challenge.shop.acme.io", "dcv-token-one"},
             {"_acme-challenge.shop.acme.io", "dcv-token-two"}},
    .addresses = {{"fallback.saas.io", "127.0.0.1"}, {"shop.acme.io", "127.0.0.1"}, {"v6.saas.io", "::1"}},
    .not_authoritative = {},
};

Dnsmasq& dns_server() {
    static Dnsmasq server(customer_records);
    return server;
}

server::DnsClient& dns() {
    static server::DnsClient client({.server = "127.0.0.1", .port = dns_server().port(),
                                     .timeout = std::chrono::milliseconds(500), .tries = 2});
    return client;
}

api::CnameChain chain_of(const std::string& name, int hops = 10, const std::string& stop_at = "",
                         server::DnsClient& client = dns()) {
    return await<api::CnameChain>([&](auto done) { client.cname_chain(name, hops, stop_at, done); });
}

api::TxtRecords txt_of(const std::string& name) {
    return await<api::TxtRecords>([&](auto done) { dns().txt(name, done); });
}

}  // namespace

TEST_SUITE_BEGIN("validation_probes");

TEST_CASE("dns: the CNAME chain of a hostname, in order, to the SaaS target") {
    auto chain = chain_of("app.acme.io");
    CHECK(chain.status == ProbeStatus::ok);
    CHECK(chain.names == std::vector<std::string>{"hop1.acme.io", "hop2.acme.io", "fallback.saas.io"});
    CHECK(chain_of("WWW.ACME.IO.").names == std::vector<std::string>{"fallback.saas.io"});
}

TEST_CASE("dns: the chain stops at max_hops") {
    CHECK(chain_of("app.acme.io", 2).names == std::vector<std::string>{"hop1.acme.io", "hop2.acme.io"});
}

TEST_CASE("dns: a chain that reaches the target ends there") {
    // The walk stops at the target: hop2 -> fallback.saas.io is never asked past it.
    auto chain = chain_of("app.acme.io", 10, "HOP2.acme.io.");
    CHECK(chain.status == ProbeStatus::ok);
    CHECK(chain.names == std::vector<std::string>{"hop1.acme.io", "hop2.acme.io"});
}

TEST_CASE("dns: a server that refuses the hop past the target fails the chain only without a target") {
    // As a hand-written dnsmasq config without local= for the SaaS domain: the CNAME query for
    // the target itself gets REFUSED (no upstream to ask).
    Dnsmasq server({.cnames = {{"shop.customer.io", "fallback.saas.io"}},
                    .txts = {},
                    .addresses = {{"fallback.saas.io", "127.0.0.1"}},
                    .not_authoritative = {"saas.io"}});
    server::DnsClient client({.server = "127.0.0.1", .port = server.port(),
                              .timeout = std::chrono::milliseconds(500), .tries = 1});
    auto walked = chain_of("shop.customer.io", 10, "", client);
    CHECK(walked.status == ProbeStatus::failed);
    CHECK(walked.names == std::vector<std::string>{"fallback.saas.io"});
    CHECK(walked.failure == server.address() + " answered REFUSED to the CNAME query for fallback.saas.io");
    auto stopped = chain_of("shop.customer.io", 10, "fallback.saas.io", client);
    CHECK(stopped.status == ProbeStatus::ok);
    CHECK(stopped.names == std::vector<std::string>{"fallback.saas.io"});
    CHECK(stopped.failure.empty());
}

TEST_CASE("dns: a failed lookup names what the server answered") {
    // dnsmasq serves acme.io and saas.io only: elsewhere it answers REFUSED.
    auto refused = txt_of("_cf-custom-hostname.shop.unserved.io");
    CHECK(refused.status == ProbeStatus::failed);
    CHECK(refused.failure ==
          "127.0.0.1:" + std::to_string(dns_server().port()) +
              " answered REFUSED to the TXT query for _cf-custom-hostname.shop.unserved.io");
    auto chain = chain_of("shop.unserved.io");
    CHECK(chain.status == ProbeStatus::failed);
    CHECK(chain.failure.find("answered REFUSED to the CNAME query for shop.unserved.io") != std::string::npos);
    // A record simply missing is no failure.
    CHECK(txt_of("_cf-custom-hostname.app.acme.io").failure.empty());
}

TEST_CASE("dns: a name without CNAME, and a name that does not exist") {
    auto plain = chain_of("shop.acme.io");
    CHECK(plain.status == ProbeStatus::ok);
    CHECK(plain.names.empty());
    CHECK(chain_of("nothing.acme.io").status == ProbeStatus::not_found);
}

TEST_CASE("dns: TXT records of the ownership and ACME names") {
    auto ownership = txt_of("_cf-custom-hostname.shop.acme.io");
    CHECK(ownership.status == ProbeStatus::ok);
    CHECK(ownership.values == std::vector<std::string>{"0d89c70d-ad9f-4843-b99f-6cc0252067e9"});
    auto acme = txt_of("_acme-challenge.shop.acme.io");
    CHECK(acme.values.size() == 2);
    CHECK(txt_of("_cf-custom-hostname.app.acme.io").status == ProbeStatus::not_found);
}

TEST_CASE("dns: whether a name has an address (a fallback origin must): A, A behind CNAMEs, AAAA only, none") {
    auto has_address = [](const std::string& name, server::DnsClient& client = dns()) {
        return await<ProbeStatus>([&](auto done) { client.has_address(name, done); });
    };
    CHECK(has_address("fallback.saas.io") == ProbeStatus::ok);
    CHECK(has_address("app.acme.io") == ProbeStatus::ok);  // three CNAMEs, then an A record
    CHECK(has_address("v6.saas.io") == ProbeStatus::ok);
    CHECK(has_address("missing.saas.io") == ProbeStatus::not_found);
    CHECK(has_address("_cf-custom-hostname.shop.acme.io") == ProbeStatus::not_found);  // a TXT record only
    server::DnsClient refused({.server = "127.0.0.1", .port = 9, .timeout = std::chrono::milliseconds(500), .tries = 1});
    auto failed = has_address("fallback.saas.io", refused);
    CHECK(failed != ProbeStatus::ok);
    CHECK(failed != ProbeStatus::not_found);
}

TEST_CASE("dns: a server that never answers times out within the configured time") {
    // A bound UDP socket nobody reads: queries arrive and are never answered.
    unsigned short port = 0;
    int silent_socket = loopback_socket(SOCK_DGRAM, port);
    server::DnsClient silent({.server = "127.0.0.1", .port = port,
                              .timeout = std::chrono::milliseconds(200), .tries = 1});
    auto started = std::chrono::steady_clock::now();
    auto txt = await<api::TxtRecords>([&](auto done) { silent.txt("_acme-challenge.shop.acme.io", done); });
    auto took = std::chrono::steady_clock::now() - started;
    close(silent_socket);
    CHECK(txt.status == ProbeStatus::timed_out);
    CHECK(txt.failure == "127.0.0.1:" + std::to_string(port) +
                             " did not answer the TXT query for _acme-challenge.shop.acme.io (timed out)");
    CHECK(took >= std::chrono::milliseconds(150));
    CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("dns: a refused port fails at once") {
    server::DnsClient refused({.server = "127.0.0.1", .port = 9, .timeout = std::chrono::milliseconds(500), .tries = 1});
    auto txt = await<api::TxtRecords>([&](auto done) { refused.txt("_acme-challenge.shop.acme.io", done); });
    CHECK(txt.status != ProbeStatus::ok);
}

TEST_CASE("dns: lookups run concurrently and each completes once") {
    std::vector<std::future<api::TxtRecords>> results;
    std::vector<std::shared_ptr<std::promise<api::TxtRecords>>> promises;
    for (int i = 0; i < 20; ++i) {
        auto p = std::make_shared<std::promise<api::TxtRecords>>();
        results.push_back(p->get_future());
        dns().txt("_acme-challenge.shop.acme.io", [p](api::TxtRecords r) { p->set_value(std::move(r)); });
        promises.push_back(p);
    }
    for (auto& f : results) {
        REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        CHECK(f.get().values.size() == 2);
    }
}

TEST_CASE("http: the ownership token fetched from the customer's origin, host resolved by the DNS server") {
    const std::string path = "/.well-known/cf-custom-hostname-challenge/0d89c70d-ad9f-4843-b99f-6cc0252067e9";
    TokenOrigin origin({{path, "5f6e1c9a-token-body"}});
    server::HttpProbe http(dns(), {.timeout = std::chrono::seconds(5), .default_port = origin.port()});

    auto fetched = await<api::HttpFetch>(
        [&](auto done) { http.get("http://shop.acme.io" + path, api::ownership_user_agent, done); });
    CHECK(fetched.status == ProbeStatus::ok);
    CHECK(fetched.http_status == 200);
    CHECK(fetched.body == "5f6e1c9a-token-body");
    CHECK(origin.user_agents().back() == "Cloudflare Custom Hostname Verification");

    auto missing = await<api::HttpFetch>(
        [&](auto done) { http.get("http://shop.acme.io/.well-known/acme-challenge/nope", "x", done); });
    CHECK(missing.status == ProbeStatus::failed);
    CHECK(missing.http_status == 404);

    auto explicit_port = await<api::HttpFetch>([&](auto done) {
        http.get("http://shop.acme.io:" + std::to_string(origin.port()) + path, "x", done);
    });
    CHECK(explicit_port.body == "5f6e1c9a-token-body");
}

TEST_CASE("http: an unknown host, a closed port and a non-http URL fail without hanging") {
    server::HttpProbe http(dns(), {.timeout = std::chrono::seconds(2), .default_port = 9});
    auto unknown = await<api::HttpFetch>([&](auto done) { http.get("http://nothing.acme.io/", "x", done); });
    CHECK(unknown.status == ProbeStatus::failed);
    auto closed = await<api::HttpFetch>([&](auto done) { http.get("http://shop.acme.io/", "x", done); });
    CHECK(closed.status == ProbeStatus::failed);
    auto https = await<api::HttpFetch>([&](auto done) { http.get("https://shop.acme.io/", "x", done); });
    CHECK(https.status == ProbeStatus::failed);
}

TEST_CASE("http: an origin that never answers times out at the deadline") {
    // Listening but never reading: the connection is accepted by the kernel, no response comes.
    unsigned short port = 0;
    int listener = loopback_socket(SOCK_STREAM, port);
    REQUIRE(listen(listener, 4) == 0);
    server::HttpProbe http(dns(), {.timeout = std::chrono::milliseconds(300), .default_port = port});
    auto started = std::chrono::steady_clock::now();
    auto fetched = await<api::HttpFetch>([&](auto done) { http.get("http://shop.acme.io/", "x", done); });
    auto took = std::chrono::steady_clock::now() - started;
    close(listener);
    CHECK(fetched.status == ProbeStatus::timed_out);
    CHECK(took >= std::chrono::milliseconds(250));
    CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("http: URL parsing") {
    auto url = server::parse_http_url("http://App.acme.io:8080/a/b?c=d");
    REQUIRE(url);
    CHECK(url->host == "App.acme.io");
    CHECK(url->port == 8080);
    CHECK(url->target == "/a/b?c=d");
    CHECK(server::parse_http_url("http://acme.io")->target == "/");
    CHECK_FALSE(server::parse_http_url("https://acme.io/"));
    CHECK_FALSE(server::parse_http_url("http://user@acme.io/"));
    CHECK_FALSE(server::parse_http_url("http://acme.io:99999/"));
    CHECK_FALSE(server::parse_http_url("http:///path"));
}

TEST_CASE("dnsmasq helper: replaced records are served on the same port") {
    Dnsmasq local({.txts = {{"_acme-challenge.new.acme.io", "before"}}});
    server::DnsClient client({.server = "127.0.0.1", .port = local.port()});
    auto before = await<api::TxtRecords>([&](auto done) { client.txt("_acme-challenge.new.acme.io", done); });
    CHECK(before.values == std::vector<std::string>{"before"});
    local.replace({.txts = {{"_acme-challenge.new.acme.io", "after"}}});
    auto after = await<api::TxtRecords>([&](auto done) { client.txt("_acme-challenge.new.acme.io", done); });
    CHECK(after.values == std::vector<std::string>{"after"});
}

TEST_SUITE_END();
