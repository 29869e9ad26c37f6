// The edge settings as a user gives them: flags, CSR_EMULATOR_* variables, and the refusals.
#include <doctest/doctest.h>

#include <map>

#include "server/config.hpp"
#include "support/config_parsing.hpp"

using test_support::parse_settings;

TEST_CASE("edge settings: off by default, each flag with its environment twin") {
    auto defaults = parse_settings({});
    REQUIRE(defaults.config);
    CHECK_FALSE(defaults.config->edge_listen);
    CHECK_FALSE(defaults.config->edge_http_listen);
    CHECK(defaults.config->edge_origin_port == 80);
    CHECK(defaults.config->edge_unknown_sni_alert == "handshake_failure");

    auto flags = parse_settings({"--edge-listen", "127.0.0.1:8443", "--edge-http-listen=127.0.0.1:0", "--edge-origin-port", "3000",
                        "--edge-resolve", "app.saas.io:127.0.0.1", "--edge-resolve", "api.saas.io:::1",
                        "--edge-connect-timeout", "250", "--edge-read-timeout", "500", "--edge-unknown-sni-alert",
                        "unrecognized_name", "--edge-always-https", "on", "--edge-threads", "3"});
    REQUIRE(flags.config);
    const auto& c = *flags.config;
    CHECK(c.edge_listen == std::pair<std::string, std::uint16_t>{"127.0.0.1", 8443});
    CHECK(c.edge_http_listen == std::pair<std::string, std::uint16_t>{"127.0.0.1", 0});
    CHECK(c.edge_origin_port == 3000);
    CHECK(c.edge_resolve == std::vector<std::pair<std::string, std::string>>{{"app.saas.io", "127.0.0.1"},
                                                                             {"api.saas.io", "::1"}});
    CHECK(c.edge_connect_timeout_ms == 250);
    CHECK(c.edge_read_timeout_ms == 500);
    CHECK(c.edge_unknown_sni_alert == "unrecognized_name");
    CHECK(c.edge_always_https);
    CHECK(c.edge_threads == 3);
    CHECK(c.describe().find("edge_listen=127.0.0.1:8443") != std::string::npos);

    auto env = parse_settings({}, {{"CSR_EMULATOR_EDGE_LISTEN", "0.0.0.0:443"},
                          {"CSR_EMULATOR_EDGE_RESOLVE", "a.saas.io:10.0.0.1,b.saas.io:10.0.0.2"}});
    REQUIRE(env.config);
    CHECK(env.config->edge_listen == std::pair<std::string, std::uint16_t>{"0.0.0.0", 443});
    CHECK(env.config->edge_resolve.size() == 2);
    auto replaced = parse_settings({"--edge-resolve", "c.saas.io:10.0.0.3"}, {{"CSR_EMULATOR_EDGE_RESOLVE", "a.saas.io:10.0.0.1"}});
    REQUIRE(replaced.config);
    CHECK(replaced.config->edge_resolve.size() == 1);  // flags replace the environment's list

    CHECK(server::usage_text().find("--edge-listen") != std::string::npos);
    CHECK(server::usage_text().find("CSR_EMULATOR_EDGE_ORIGIN_PORT") != std::string::npos);
}

TEST_CASE("edge settings: malformed values are usage errors (exit 2)") {
    for (auto args : std::vector<std::vector<std::string>>{{"--edge-listen", "8443"},
                                                           {"--edge-origin-port", "0"},
                                                           {"--edge-resolve", "app.saas.io"},
                                                           {"--edge-unknown-sni-alert", "close_notify"},
                                                           {"--edge-always-https", "yes"},
                                                           {"--edge-read-timeout", "soon"},
                                                           {"--edge-frobnicate", "1"}}) {
        auto outcome = parse_settings(args);
        CHECK_FALSE(outcome.config);
        CHECK(outcome.exit_code == 2);
    }
}

TEST_CASE("edge settings: connection limit and body limit, with their environment twins") {
    auto defaults = parse_settings({});
    REQUIRE(defaults.config);
    CHECK(defaults.config->edge_max_connections == 0);  // from the descriptor limit
    CHECK(defaults.config->edge_max_body == 100ull * 1024 * 1024);

    auto flags = parse_settings({"--edge-max-connections", "300", "--edge-max-body", "5000"});
    REQUIRE(flags.config);
    CHECK(flags.config->edge_max_connections == 300);
    CHECK(flags.config->edge_max_body == 5000);
    auto env = parse_settings({}, {{"CSR_EMULATOR_EDGE_MAX_CONNECTIONS", "12"}, {"CSR_EMULATOR_EDGE_MAX_BODY", "0"}});
    REQUIRE(env.config);
    CHECK(env.config->edge_max_connections == 12);
    CHECK(env.config->edge_max_body == 0);
    CHECK(server::usage_text().find("CSR_EMULATOR_EDGE_MAX_CONNECTIONS") != std::string::npos);
    CHECK(server::usage_text().find("--edge-max-body") != std::string::npos);

    for (auto args : std::vector<std::vector<std::string>>{{"--edge-max-connections", "-1"},
                                                           {"--edge-max-connections", "many"},
                                                           {"--edge-max-body", "1e6"}}) {
        auto outcome = parse_settings(args);
        CHECK_FALSE(outcome.config);
        CHECK(outcome.exit_code == 2);
    }
}
