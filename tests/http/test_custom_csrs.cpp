// Custom CSRs end to end: the real binary, over HTTP, every response contract-checked.
#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "storage/database.hpp"
#include "support/api_client.hpp"
#include "support/csr_fixtures.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

// The private key the emulator stored for a CSR, read from its database file (WAL allows a
// second reader while the server runs).
std::string stored_private_key(const std::string& db_path, const std::string& id) {
    storage::Database db(db_path);
    storage::Statement s(db, "SELECT private_key_pem FROM custom_csrs WHERE id = ?");
    s.bind(1, id);
    REQUIRE(s.step());
    return s.text(0);
}

void check_created(const json& result, const json& request) {
    CHECK(result["id"].get<std::string>().size() == 36);
    CHECK(result["created_at"].get<std::string>().ends_with("Z"));
    for (const char* field : {"country", "state", "locality", "organization", "organizational_unit", "common_name", "sans", "key_type"})
        CHECK_MESSAGE(result[field] == request[field], field);
    const std::string csr = result["csr"];
    CHECK(csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
    CHECK(csr.ends_with("-----END CERTIFICATE REQUEST-----\n"));
}

// Polls /_emulator/health until at least `count` requests wait for an RSA key (queued, or the one
// a worker makes a key for); with `plus_answered`, POSTs already answered (the journal) count
// too, so `count` then means "every create has reached the server". False after 20 s.
bool wait_for_key_waiters(const ServerProcess& server, int count, bool plus_answered = false) {
    HttpClient probe(server.host(), server.port());
    auto reached = [&] {
        // The journal first: a create answered between the two reads is then counted at most
        // once (read the other way round, it could be seen waiting, then answered, and count twice).
        int seen = 0;
        if (plus_answered)
            seen += static_cast<int>(probe.request("GET", "/_emulator/journal?method=POST").json()["result"].size());
        seen += probe.request("GET", "/_emulator/health").json()["key_pool"]["waiting"].get<int>();
        return seen >= count;
    };
    // No pause between looks: a waiter is served within tens of milliseconds, a pause could miss it.
    return eventually(reached, std::chrono::seconds(20), std::chrono::milliseconds(0));
}

}  // namespace

TEST_CASE("create a Custom CSR: a real key and a CSR OpenSSL verifies, with the exact subject and SANs") {
    ServerProcess server({"--key-pool", "1"});
    ApiClient client(server);
    for (std::string key_type : {"p256v1", "rsa2048"}) {
        CAPTURE(key_type);
        json request = csr_body(key_type);
        auto response = client.post(zone_csrs(), request);
        REQUIRE(response.status == 201);
        json result = response.json()["result"];
        check_created(result, request);
        CHECK_FALSE(result.contains("account_tag"));

        const std::string csr = result["csr"];
        CHECK(openssl_verifies_csr(csr));
        auto details = crypto::inspect_csr(csr);
        CHECK(details.signature_valid);
        CHECK(details.subject.country == "US");
        CHECK(details.subject.state == "MA");
        CHECK(details.subject.locality == "Boston");
        CHECK(details.subject.organization == "City of Boston");
        CHECK(details.subject.organizational_unit == std::optional<std::string>("Championship Parade Detail"));
        CHECK(details.subject.common_name == "app.acme.io");
        CHECK(details.dns_sans == request["sans"].get<std::vector<std::string>>());
        std::string text = openssl_csr_text(csr);
        CHECK(text.find("DNS:app.acme.io, DNS:www.acme.io, DNS:blog.acme.io, DNS:acme.io") != std::string::npos);
        CHECK(text.find(key_type == "p256v1" ? "NIST CURVE: P-256" : "Public-Key: (2048 bit)") != std::string::npos);
        CHECK(text.find(key_type == "p256v1" ? "ecdsa-with-SHA256" : "sha256WithRSAEncryption") != std::string::npos);

        // The stored private key is the key of this CSR, and is never handed out.
        std::string key = stored_private_key(server.db_path(), result["id"]);
        CHECK(crypto::public_key_of_private_key(key) == details.public_key_pem);
        CHECK(crypto::key_type_of_private_key(key) ==
              (key_type == "p256v1" ? crypto::KeyType::p256v1 : crypto::KeyType::rsa2048));
        CHECK(response.body.find("PRIVATE KEY") == std::string::npos);
        auto got = client.get(zone_csrs() + "/" + result["id"].get<std::string>());
        CHECK(got.body.find("PRIVATE KEY") == std::string::npos);
        CHECK(client.get(zone_csrs()).body.find("PRIVATE KEY") == std::string::npos);
    }
    CHECK(server.stderr_text().find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("key_type defaults to rsa2048; organizational_unit is optional; name and description are echoed") {
    ServerProcess server;
    ApiClient client(server);
    json request = csr_body();
    request.erase("key_type");
    request.erase("organizational_unit");
    request["name"] = "parade";
    request["description"] = "for the parade site";
    auto response = client.post(zone_csrs(), request);
    REQUIRE(response.status == 201);
    json result = response.json()["result"];
    CHECK(result["key_type"] == "rsa2048");
    CHECK_FALSE(result.contains("organizational_unit"));
    CHECK(result["name"] == "parade");
    CHECK(result["description"] == "for the parade site");
    auto details = crypto::inspect_csr(result["csr"].get<std::string>());
    CHECK_FALSE(details.subject.organizational_unit);
    CHECK(openssl_csr_text(result["csr"]).find("OU") == std::string::npos);
}

TEST_CASE("the account path behaves like the zone path and adds account_tag") {
    ServerProcess server;
    ApiClient client(server);
    auto created = client.post(account_csrs(), csr_body("p256v1"));
    REQUIRE(created.status == 201);
    json result = created.json()["result"];
    CHECK(result["account_tag"] == account_a);
    std::string id = result["id"];
    CHECK(client.get(account_csrs() + "/" + id).json()["result"] == result);
    auto list = client.get(account_csrs()).json();
    CHECK(list["result_info"]["per_page"] == 50);
    CHECK(list["result"].size() == 1);
    // An account's CSR is not a zone's CSR, even with the same identifier string.
    check_failure(client.get(zone_csrs(account_a) + "/" + id), 404, 1419);
    CHECK(client.del(account_csrs() + "/" + id).json()["result"] == json{{"id", id}});
}

TEST_CASE("validation failures over HTTP carry the envelope and the code, and store nothing") {
    ServerProcess server;
    ApiClient client(server);
    auto bad = [&](json body, int code) {
        CAPTURE(body.dump());
        check_failure(client.post(zone_csrs(), body), 400, code);
    };
    json body = csr_body();
    body.erase("country");
    bad(body, 1405);
    bad(csr_body("p256v1", {}), 1411);
    bad(csr_body("p256v1", {"app.acme.test"}), 1414);
    bad(csr_body("p256v1", {"app.example.com"}), 1416);
    bad(csr_body("dsa"), 1417);
    check_failure(client.send("POST", zone_csrs(), "{\"country\":", default_auth), 400, 1400);
    CHECK(client.get(zone_csrs()).json()["result_info"]["total_count"] == 0);
}

TEST_CASE("list: pages of per_page in creation order, a page past the end is an empty 200") {
    ServerProcess server;
    ApiClient client(server);
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        json body = csr_body("p256v1", {"h" + std::to_string(i) + ".acme.io"});
        body["common_name"] = "h" + std::to_string(i) + ".acme.io";
        auto r = client.post(zone_csrs(), body);
        REQUIRE(r.status == 201);
        ids.push_back(r.json()["result"]["id"]);
    }
    std::vector<std::string> seen;
    for (int page = 1; page <= 3; ++page) {
        auto body = client.get(zone_csrs() + "?per_page=5&page=" + std::to_string(page)).json();
        auto info = body["result_info"];
        CHECK(info["page"] == page);
        CHECK(info["per_page"] == 5);
        CHECK(info["count"] == (page < 3 ? 5 : 2));
        CHECK(info["total_count"] == 12);
        CHECK(info["total_pages"] == 3);
        for (const auto& csr : body["result"]) seen.push_back(csr["id"]);
    }
    CHECK(seen == ids);
    auto past = client.get(zone_csrs() + "?per_page=5&page=4");
    CHECK(past.status == 200);
    CHECK(past.json()["result"] == json::array());
    CHECK(past.json()["result_info"]["count"] == 0);
    CHECK(past.json()["result_info"]["total_count"] == 12);
    // Default page size for a zone is 20.
    CHECK(client.get(zone_csrs()).json()["result"].size() == 12);
}

TEST_CASE("account list: order by name or created_at, asc or desc") {
    ServerProcess server;
    ApiClient client(server);
    for (std::string name : {"bravo", "alpha", "charlie"}) {
        json body = csr_body();
        body["name"] = name;
        REQUIRE(client.post(account_csrs(), body).status == 201);
    }
    auto names = [&](const std::string& query) {
        std::vector<std::string> out;
        auto body = client.get(account_csrs() + "?" + query).json();
        for (const auto& csr : body["result"]) out.push_back(csr.value("name", "?"));
        INFO(body.dump());
        return out;
    };
    CHECK(names("") == std::vector<std::string>{"bravo", "alpha", "charlie"});
    CHECK(names("order=name") == std::vector<std::string>{"alpha", "bravo", "charlie"});
    CHECK(names("order=name&direction=desc") == std::vector<std::string>{"charlie", "bravo", "alpha"});
    CHECK(names("order=created_at&direction=desc") == std::vector<std::string>{"charlie", "alpha", "bravo"});
}

TEST_CASE("get and delete: 1418 for a malformed id, 1419 for an unknown one") {
    ServerProcess server;
    ApiClient client(server);
    auto created = client.post(zone_csrs(), csr_body()).json()["result"];
    std::string id = created["id"];

    CHECK(client.get(zone_csrs() + "/" + id).json()["result"] == created);
    check_failure(client.get(zone_csrs() + "/not-a-uuid"), 400, 1418);
    check_failure(client.del(zone_csrs() + "/12345"), 400, 1418);
    check_failure(client.get(zone_csrs() + "/7b163417-1d2b-4c84-a38a-2fb7a0cd7752"), 404, 1419);

    auto deleted = client.del(zone_csrs() + "/" + id);
    CHECK(deleted.status == 200);
    CHECK(deleted.json()["result"] == json{{"id", id}});
    check_failure(client.get(zone_csrs() + "/" + id), 404, 1419);
    check_failure(client.del(zone_csrs() + "/" + id), 404, 1419);
    // The key went with it.
    storage::Database db(server.db_path());
    storage::Statement s(db, "SELECT count(*) FROM custom_csrs");
    s.step();
    CHECK(s.integer(0) == 0);
}

TEST_CASE("zones are isolated: nothing of zone A is visible, gettable or deletable under zone B") {
    ServerProcess server;
    ApiClient client(server);
    std::string id = client.post(zone_csrs(zone_a), csr_body()).json()["result"]["id"];
    CHECK(client.get(zone_csrs(zone_b)).json()["result"] == json::array());
    check_failure(client.get(zone_csrs(zone_b) + "/" + id), 404, 1419);
    check_failure(client.del(zone_csrs(zone_b) + "/" + id), 404, 1419);
    CHECK(client.get(zone_csrs(zone_a) + "/" + id).status == 200);
}

TEST_CASE("everything survives a restart on the same database file") {
    std::string db_path;
    json created_p256, created_rsa;
    std::string key_before;
    {
        ServerProcess first;
        ApiClient client(first);
        created_p256 = client.post(zone_csrs(), csr_body("p256v1")).json()["result"];
        created_rsa = client.post(account_csrs(), csr_body("rsa2048")).json()["result"];
        key_before = stored_private_key(first.db_path(), created_p256["id"]);
        CHECK(first.stop(SIGTERM) == 0);
        // Start again on the same file: ServerProcess keeps its temp dir until destroyed, so
        // the second server runs inside this scope.
        ServerProcess second({"--db", first.db_path()});
        ApiClient again(second);
        CHECK(again.get(zone_csrs() + "/" + created_p256["id"].get<std::string>()).json()["result"] == created_p256);
        CHECK(again.get(account_csrs() + "/" + created_rsa["id"].get<std::string>()).json()["result"] == created_rsa);
        CHECK(again.get(zone_csrs()).json()["result"] == json::array({created_p256}));
        CHECK(stored_private_key(first.db_path(), created_p256["id"]) == key_before);
        CHECK(second.stop(SIGTERM) == 0);
    }
}

TEST_CASE("RSA key generation does not hold up other requests") {
    // No keys made ahead: every RSA create waits for the single key worker.
    ServerProcess server({"--key-pool", "0", "--key-workers", "1", "--threads", "2"});
    const int rsa_creates = 6;
    std::vector<std::future<std::chrono::steady_clock::time_point>> creates;
    for (int i = 0; i < rsa_creates; ++i) {
        creates.push_back(std::async(std::launch::async, [&] {
            ApiClient client(server);
            auto r = client.post(zone_csrs(), csr_body("rsa2048"));
            CHECK(r.status == 201);
            return std::chrono::steady_clock::now();
        }));
    }
    // Wait until the emulator holds several of them waiting for keys: at least two queued behind
    // the key being made, so RSA work is still pending while the quick requests below run. (All
    // of them at once is more than a loaded machine reliably shows.)
    REQUIRE(wait_for_key_waiters(server, 3));
    // While they wait, GETs and P-256 creates are answered.
    ApiClient client(server);
    for (int i = 0; i < 10; ++i) CHECK(client.get(zone_csrs()).status == 200);
    CHECK(client.post(zone_csrs(), csr_body("p256v1")).status == 201);
    auto quick_done = std::chrono::steady_clock::now();
    std::vector<std::chrono::steady_clock::time_point> finished;
    for (auto& f : creates) finished.push_back(f.get());
    // The last RSA create (several key generations later) finished after all the quick requests.
    CHECK(*std::max_element(finished.begin(), finished.end()) > quick_done);
    CHECK(client.get(zone_csrs()).json()["result_info"]["total_count"] == rsa_creates + 1);
}

TEST_CASE("SIGTERM lets an RSA create in flight finish before exiting 0") {
    // A grace far above the keys' time: on a machine busy with other tests, the remaining RSA keys
    // took more than the default 4.5 s, and the server then rightly closed the waiting requests.
    ServerProcess server({"--key-pool", "0", "--key-workers", "1", "--shutdown-grace-ms", "60000"});
    using Clock = std::chrono::steady_clock;
    const int rsa_creates = 4;
    std::vector<std::future<std::pair<HttpResponse, Clock::time_point>>> pending;
    for (int i = 0; i < rsa_creates; ++i) {
        pending.push_back(std::async(std::launch::async, [&] {
            ApiClient client(server);
            auto response = client.post(zone_csrs(), csr_body("rsa2048"));
            return std::pair(response, Clock::now());
        }));
    }
    // Every create has reached the server (a client still connecting when the signal comes would
    // be refused: not what this tests): each is waiting for its key or already answered. The
    // single key worker makes one RSA key at a time (tens of milliseconds at least), so the last
    // ones are still in flight when the signal comes.
    REQUIRE(wait_for_key_waiters(server, rsa_creates, true));
    REQUIRE(wait_for_key_waiters(server, 1));
    auto signalled = Clock::now();
    // The bound is generous: the one key worker runs at low priority, and on a machine busy with
    // other work its remaining RSA keys took more than 5 s (the exit came, later).
    CHECK(server.stop(SIGTERM, std::chrono::seconds(60)) == 0);
    Clock::time_point last_answer{};
    for (auto& f : pending) {
        auto [response, answered_at] = f.get();
        CHECK(response.status == 201);
        last_answer = std::max(last_answer, answered_at);
    }
    // Answered after the signal: it was in flight then, and the drain let it finish.
    CHECK(last_answer > signalled);
}
