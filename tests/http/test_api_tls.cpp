// --api-tls-listen: the same API over TLS as api.cloudflare.com, with a certificate from the test
// CA that openssl verifies for that name; TLS 1.2 and 1.3 only; the TLS port stops with the server.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>

#include "support/api_client.hpp"
#include "support/openssl_cli.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace test_support;

TEST_CASE("--api-tls-listen: api.cloudflare.com verified against the test root, the API behind it, TLS 1.2+ only") {
    ServerProcess server({"--api-tls-listen", "127.0.0.1:0", "--zone", "tls.io"});
    REQUIRE(server.tls_url().starts_with("https://127.0.0.1:"));
    const std::string port = server.tls_url().substr(server.tls_url().rfind(':') + 1);
    ApiClient client(server);
    TempDir dir;
    const std::string root = dir.file("root.pem");
    std::ofstream(root) << client.get("/_emulator/ca/root.pem").body;

    const std::string connect = "openssl s_client -connect 127.0.0.1:" + port + " -CAfile " + root;
    auto verified = run(connect + " -servername api.cloudflare.com -verify_hostname api.cloudflare.com -verify_return_error -brief");
    INFO(verified.output);
    CHECK(verified.output.find("Verification: OK") != std::string::npos);
    auto wrong_name = run(connect + " -verify_hostname other.example.com -verify_return_error -brief");
    CHECK(wrong_name.output.find("Verification: OK") == std::string::npos);
    // A client able to speak TLS 1.1 (security level 0) gets no session: "Protocol version" is
    // s_client's line for an established one.
    auto old = run(connect + " -tls1_1 -cipher DEFAULT@SECLEVEL=0 -brief");
    INFO(old.output);
    CHECK(old.output.find("Protocol version") == std::string::npos);
    CHECK(old.exit_code != 0);
    auto current = run(connect + " -tls1_2 -brief");
    CHECK(current.output.find("Protocol version: TLSv1.2") != std::string::npos);

    auto zones = run("curl -s --resolve api.cloudflare.com:" + port + ":127.0.0.1 --cacert " + root +
                     " -H 'Authorization: Bearer test' https://api.cloudflare.com:" + port + "/client/v4/zones?name=tls.io");
    INFO(zones.output);
    CHECK(zones.output.find("\"name\":\"tls.io\"") != std::string::npos);
    CHECK(server.stop(SIGTERM) == 0);
}
