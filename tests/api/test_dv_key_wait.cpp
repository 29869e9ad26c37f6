// The DV pair's RSA key comes from the key pool and is never made on a thread serving requests:
// a request that settles a hostname into `active` with no key ready waits (no thread blocked) for
// a key worker, and the background settler leaves the hostname in its previous status until one
// is ready. The pool here keeps no key ready (as with --key-pool 0): every key is asked for.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/settler_tasks.hpp"
#include "api/emulator/emulator_ca.hpp"
#include "crypto/certificate.hpp"
#include "crypto/keys.hpp"
#include "support/service_fixture.hpp"

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string key_wait_zone = "023e105f4ecef8ad9ca31a8372d0c353";
const std::string key_wait_hostnames = "/client/v4/zones/" + key_wait_zone + "/custom_hostnames";

// Auto mode with a 1 s step on a clock the test moves: a new DV hostname is initializing, and
// active (its pair due) once the clock has passed its four steps.
struct PinnedClockApi : test_support::ServiceFixture {
    api::TimePoint now = std::chrono::system_clock::now();
    PinnedClockApi() {
        context.now = [this] { return now; };
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        context.emulator_ca = crypto::create_emulator_ca(seconds - 60);
        context.validation.enabled = true;
        context.validation.mode = api::lifecycle::Mode::automatic;
        context.validation.step = 1s;
    }
    json create_dv(const std::string& name) {
        auto r = call("POST", key_wait_hostnames, json{{"hostname", name}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}}.dump());
        REQUIRE(r.status == 201);
        return json::parse(r.body)["result"];
    }
    api::Request request(const std::string& method, const std::string& path) {
        api::Request r;
        r.method = method;
        r.path = path;
        r.headers = {{"Authorization", "Bearer test"}};
        return r;
    }
};

// Both certificates shown, and stored with their keys: ECDSA P-256 and RSA-2048.
void check_issued_pair(api::Context& context, const json& shown) {
    CHECK(shown["ssl"]["certificates"].size() == 2);
    auto stored = context.hostnames.find(key_wait_zone, shown["id"].get<std::string>());
    REQUIRE(stored);
    REQUIRE(stored->ssl);
    REQUIRE(stored->ssl->dv_ecdsa_private_key_pem);
    REQUIRE(stored->ssl->dv_rsa_private_key_pem);
    CHECK(crypto::key_type_of_private_key(*stored->ssl->dv_ecdsa_private_key_pem) == crypto::KeyType::p256v1);
    CHECK(crypto::key_type_of_private_key(*stored->ssl->dv_rsa_private_key_pem) == crypto::KeyType::rsa2048);
}

}  // namespace

TEST_SUITE_BEGIN("dv_issuance");

TEST_CASE("a read settling a DV hostname into active with no key ready: a key worker makes the key, the reader's thread none") {
    PinnedClockApi api;
    json created = api.create_dv("wait.acme.io");
    REQUIRE(created["ssl"]["status"] == "initializing");
    REQUIRE(api.keys.made_count() == 0);
    api.now += 10s;  // past the four steps: this read settles it into active, its pair due

    std::promise<std::pair<api::Response, std::thread::id>> answered;
    auto answer = answered.get_future();
    api.service.handle(api.request("GET", key_wait_hostnames + "/" + created["id"].get<std::string>()),
                       [&](api::Response r) { answered.set_value({std::move(r), std::this_thread::get_id()}); });
    auto [response, thread] = answer.get();  // waits on the answer itself, whatever thread gives it
    REQUIRE(response.status == 200);
    json result = json::parse(response.body)["result"];
    CHECK(result["ssl"]["status"] == "active");
    check_issued_pair(api.context, result);
    // The RSA key was made by the pool's worker (before, the reading thread made it itself and the
    // pool made none).
    CHECK(api.keys.made_count() == 1);
    CHECK(api.keys.waiting_count() == 0);
}

TEST_CASE("the settler leaves a DV hostname in its previous status until a key is ready, then issues the pair") {
    PinnedClockApi api;
    json created = api.create_dv("later.acme.io");
    api::HostnameKey key{key_wait_zone, created["id"].get<std::string>()};
    api.now += 10s;

    api::settle_hostname(api.context, key);  // the settler's visit: no key ready
    auto stored = api.context.hostnames.find(key_wait_zone, key.second);
    REQUIRE(stored);
    REQUIRE(stored->ssl);
    CHECK(stored->status == "active");  // ownership moves on; only the certificate waits for its key
    CHECK(stored->ssl->status == "initializing");
    CHECK_FALSE(stored->ssl->dv_rsa_chain_pem);

    // The visit asked the pool for a key; the next visit after it is ready issues the pair.
    std::promise<void> ready;
    api.keys.when_rsa2048_ready([&] { ready.set_value(); });
    ready.get_future().wait();
    api::settle_hostname(api.context, key);
    stored = api.context.hostnames.find(key_wait_zone, key.second);
    CHECK(stored->ssl->status == "active");
    CHECK(stored->ssl->dv_ecdsa_chain_pem);
    CHECK(stored->ssl->dv_rsa_chain_pem);
    CHECK(stored->ssl->dv_rsa_private_key_pem);
    auto read = api.call("GET", key_wait_hostnames + "/" + key.second);
    check_issued_pair(api.context, json::parse(read.body)["result"]);
    CHECK(api.keys.made_count() == 1);
}

TEST_SUITE_END();
