// HttpProbe's promise that every fetch completes exactly once holds when the probe goes while
// fetches are still waiting on an origin that never answers (a server shutting down mid-check).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "server/dns_client.hpp"
#include "server/http_probe.hpp"
#include "support/dnsmasq.hpp"
#include "support/eventually.hpp"
#include "support/loopback_socket.hpp"

using api::ProbeStatus;

TEST_CASE("http probe: destroyed with fetches in flight, each completes exactly once, as failed, without waiting for its deadline") {
    test_support::Dnsmasq dns_server({.addresses = {{"silent.acme.io", "127.0.0.1"}}});
    server::DnsClient dns({.server = "127.0.0.1", .port = dns_server.port(), .timeout = std::chrono::milliseconds(500), .tries = 2});

    // Listening but never reading: connections are accepted by the kernel, no response comes.
    unsigned short port = 0;
    int listener = test_support::loopback_socket(SOCK_STREAM, port);
    REQUIRE(listen(listener, 16) == 0);

    constexpr int fetches = 5;
    auto completions = std::make_shared<std::array<std::atomic<int>, fetches>>();
    auto failed = std::make_shared<std::atomic<int>>(0);
    const auto deadline = std::chrono::seconds(30);
    auto started = std::chrono::steady_clock::now();
    {
        server::HttpProbe http(dns, {.timeout = deadline, .default_port = port});
        for (int i = 0; i < fetches; ++i)
            http.get("http://silent.acme.io/", "x", [completions, failed, i](api::HttpFetch fetch) {
                ++(*completions)[i];
                if (fetch.status == ProbeStatus::failed) ++*failed;
            });
        // Let the lookups finish and the connections open, so the fetches wait on the origin.
        // (Polling the kernel's accept queue would need the listener's internals: a short wait is
        // what a real shutdown sees too, and the assertions below hold either way.)
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    auto took = std::chrono::steady_clock::now() - started;
    close(listener);
    // A late DNS answer may still be on its way for a fetch that never reached the origin.
    CHECK_EVENTUALLY(failed->load() == fetches);
    for (int i = 0; i < fetches; ++i) CHECK((*completions)[i].load() == 1);
    CHECK(failed->load() == fetches);
    CHECK(took < deadline / 2);
}
