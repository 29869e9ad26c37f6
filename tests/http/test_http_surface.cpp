// HTTP behaviour every route shares: envelope, routing errors, body limit, keep-alive, auth.
#include <doctest/doctest.h>

#include "support/api_client.hpp"
#include "support/server_process.hpp"

using namespace test_support;

namespace {
const std::string csrs = "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs";
}

TEST_CASE("unknown routes answer 404 / 10404 \"No route for that URI\" (the current gateway)") {
    ServerProcess server;
    ApiClient client(server);
    for (std::string path : {"/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/nothing", "/zones/x/nothing", "/",
                             "/client/v4"}) {
        CAPTURE(path);
        auto response = client.get(path);
        check_failure(response, 404, 10404);
        auto body = response.json();
        REQUIRE(body["errors"].size() == 1);
        CHECK(body["errors"][0]["message"] == "No route for that URI");
    }
}

TEST_CASE("--gateway-errors legacy: unknown routes answer 400 with 7003 naming the /client/v4 path, then 7000") {
    ServerProcess server({"--gateway-errors", "legacy"});
    ApiClient client(server);
    for (std::string path : {"/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/nothing", "/client/v4"}) {
        CAPTURE(path);
        auto response = client.get(path);
        check_failure(response, 400, 7003);
        auto body = response.json();
        CHECK(body["errors"][0]["message"] == "Could not route to " + path + ", perhaps your object identifier is invalid?");
        REQUIRE(body["errors"].size() == 2);
        CHECK(body["errors"][1]["code"] == 7000);
        CHECK(body["errors"][1]["message"] == "No route for that URI");
    }
}

TEST_CASE("routes answer under /client/v4 and bare") {
    ServerProcess server;
    ApiClient client(server);
    auto prefixed = client.get(csrs);
    auto bare = client.get(csrs.substr(std::string("/client/v4").size()));
    CHECK(prefixed.status == 200);
    CHECK(bare.status == 200);
    CHECK(prefixed.json()["result"] == bare.json()["result"]);
}

TEST_CASE("a known route with the wrong method answers 405 with Allow and an envelope") {
    ServerProcess server;
    ApiClient client(server);
    auto response = client.send("PUT", csrs, "{}", default_auth);
    check_failure(response, 405, 7001);
    auto allow = response.header("Allow");
    REQUIRE(allow);
    CHECK(*allow == "GET, POST");
    auto one = client.send("PATCH", csrs + "/7b163417-1d2b-4c84-a38a-2fb7a0cd7752", "{}", default_auth);
    check_failure(one, 405, 7001);
    CHECK(one.header("Allow").value_or("") == "DELETE, GET");
}

TEST_CASE("a body over --max-body answers 413 with an envelope") {
    ServerProcess server({"--max-body", "2048"});
    ApiClient client(server);
    std::string big = "{\"country\":\"" + std::string(4096, 'x') + "\"}";
    auto response = client.send("POST", csrs, big, default_auth);
    check_failure(response, 413, 9413);
    CHECK(response.json()["errors"][0]["message"].get<std::string>().find("2048") != std::string::npos);
    // The server stays healthy for the next connection.
    ApiClient again(server);
    CHECK(again.get(csrs).status == 200);
}

TEST_CASE("malformed JSON answers 400 code 1400") {
    ServerProcess server;
    ApiClient client(server);
    for (std::string body : {"{", "not json", "[1,2", "", "\"just a string\"", "[]"}) {
        CAPTURE(body);
        check_failure(client.send("POST", csrs, body, {{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}}),
                      400, 1400);
    }
}

TEST_CASE("an unparsable HTTP request gets a 400 envelope, not a dropped connection") {
    ServerProcess server;
    std::string reply = raw_exchange(server.host(), server.port(), "GARBAGE\r\n\r\n");
    CHECK(reply.starts_with("HTTP/1.1 400"));
    CHECK(reply.find("application/json") != std::string::npos);
    CHECK(reply.find("\"success\":false") != std::string::npos);
}

TEST_CASE("keep-alive: many requests on one connection") {
    ServerProcess server;
    HttpClient client(server.host(), server.port());
    for (int i = 0; i < 20; ++i) {
        auto response = client.request("GET", csrs, {}, default_auth);
        REQUIRE(response.status == 200);
        REQUIRE(client.connected());
    }
}

TEST_CASE("authentication as Cloudflare's gateway does it") {
    ServerProcess server;
    auto with = [&](Headers headers) { return ApiClient(server).send("GET", csrs, {}, headers); };

    SUBCASE("9106: no credentials at all") {
        auto response = with({});
        check_failure(response, 400, 9106);
        CHECK(response.json()["errors"][0]["message"] == "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
    }
    SUBCASE("6003/6111: Authorization that is not a Bearer token") {
        for (Headers h : {Headers{{"Authorization", "Basic dXNlcjpwYXNz"}}, Headers{{"Authorization", "Bearer "}},
                          Headers{{"Authorization", "Bearer two words"}}, Headers{{"Authorization", "token"}}}) {
            auto response = with(h);
            check_failure(response, 400, 6003);
            auto body = response.json();
            CHECK(body["errors"][0]["message"] == "Invalid request headers");
            CHECK(body["errors"][0]["error_chain"][0]["code"] == 6111);
        }
    }
    SUBCASE("6003/6103: X-Auth-Email without X-Auth-Key") {
        auto response = with({{"X-Auth-Email", "user@acme.io"}});
        check_failure(response, 400, 6003);
        CHECK(response.json()["errors"][0]["error_chain"][0]["code"] == 6103);
    }
    SUBCASE("6003/6102: X-Auth-Key without X-Auth-Email, or a malformed email") {
        for (Headers h : {Headers{{"X-Auth-Key", "abc123"}}, Headers{{"X-Auth-Email", "not-an-email"}, {"X-Auth-Key", "k"}}}) {
            auto response = with(h);
            check_failure(response, 400, 6003);
            CHECK(response.json()["errors"][0]["error_chain"][0]["code"] == 6102);
        }
    }
    SUBCASE("6003/6103: an X-Auth-Key not shaped as a global API key (37 hex digits), also beside a token") {
        for (Headers h : {Headers{{"X-Auth-Email", "user@acme.io"}, {"X-Auth-Key", "0123456789abcdef"}},
                          Headers{{"X-Auth-Email", "user@acme.io"}, {"X-Auth-Key", "0123456789abcdef0123456789abcdef0123g"}},
                          Headers{{"Authorization", "Bearer t"}, {"X-Auth-Email", "u@acme.io"}, {"X-Auth-Key", "k"}}}) {
            auto response = with(h);
            check_failure(response, 400, 6003);
            CHECK(response.json()["errors"][0]["error_chain"][0]["code"] == 6103);
            CHECK(response.json()["errors"][0]["error_chain"][0]["message"] == "Invalid format for X-Auth-Key header");
        }
    }
    SUBCASE("any well-formed credential is accepted by default") {
        CHECK(with({{"Authorization", "Bearer test"}}).status == 200);
        CHECK(with({{"X-Auth-Email", "user@acme.io"}, {"X-Auth-Key", "0123456789abcdef0123456789abcdef01234"}}).status == 200);
        // The TypeScript SDK sends every scheme it was given at once.
        CHECK(with({{"Authorization", "Bearer t"}, {"X-Auth-Email", "u@acme.io"}, {"X-Auth-Key", "0123456789abcdef0123456789abcdef01234"}}).status == 200);
        // python-cloudflare sends a key without email as a Bearer token.
        CHECK(with({{"Authorization", "Bearer 0123456789abcdef0123456789abcdef01234"}}).status == 200);
    }
}

TEST_CASE("strict mode: --api-token and --api-key accept only what they name; others get 403/10000") {
    ServerProcess server({"--api-token", "good-token", "--api-token", "second-token", "--api-key", "ops@acme.io:0123456789abcdef0123456789abcdef01234"});
    auto with = [&](Headers headers) { return ApiClient(server).send("GET", csrs, {}, headers); };
    CHECK(with({{"Authorization", "Bearer good-token"}}).status == 200);
    CHECK(with({{"Authorization", "Bearer second-token"}}).status == 200);
    CHECK(with({{"X-Auth-Email", "ops@acme.io"}, {"X-Auth-Key", "0123456789abcdef0123456789abcdef01234"}}).status == 200);
    auto wrong = with({{"Authorization", "Bearer bad-token"}});
    check_failure(wrong, 403, 10000);
    CHECK(wrong.json()["errors"][0]["message"] == "Authentication error");
    check_failure(with({{"X-Auth-Email", "ops@acme.io"}, {"X-Auth-Key", "fedcba9876543210fedcba9876543210fedcb"}}), 403, 10000);
    check_failure(with({{"X-Auth-Email", "other@acme.io"}, {"X-Auth-Key", "0123456789abcdef0123456789abcdef01234"}}), 403, 10000);
    // Structural errors still come first.
    check_failure(with({}), 400, 9106);
}

TEST_CASE("emulator routes need no Cloudflare credentials") {
    ServerProcess server;
    HttpClient client(server.host(), server.port());
    auto response = client.request("GET", "/_emulator/health");
    CHECK(response.status == 200);
    CHECK(response.json()["status"] == "ok");
    // ... and are not reachable under the Cloudflare prefix.
    CHECK(client.request("GET", "/client/v4/_emulator/health", {}, default_auth).status == 404);
}
