// The settings table (server/config_settings.cpp) as a whole: every row is registered whole (flag,
// variable, help, in --help), its variable gives the same configuration as its flag, flags win,
// the defaults --help prints are the struct's, and the start-up log never prints a credential.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "server/config.hpp"
#include "server/config_settings.hpp"
#include "support/config_parsing.hpp"

using test_support::parse_settings;

namespace {

using Env = std::map<std::string, std::string>;

server::Config parsed(const std::vector<std::string>& args, Env env = {}) {
    auto outcome = parse_settings(args, std::move(env));
    INFO(outcome.output);
    REQUIRE(outcome.config);
    return *outcome.config;
}

// Two valid values per setting, each different from the default and from each other. A new row
// without samples fails "samples cover every setting", so it cannot skip these checks.
const std::map<std::string, std::pair<std::string, std::string>> samples = {
    {"--listen", {"0.0.0.0:9000", "[::1]:0"}},
    {"--db", {":memory:", "/tmp/other.sqlite3"}},
    {"--threads", {"7", "1"}},
    {"--max-body", {"2048", "1073741824"}},
    {"--max-header-bytes", {"1024", "32768"}},
    {"--max-connections", {"100", "5"}},
    {"--idle-timeout-ms", {"500", "100"}},
    {"--header-timeout-ms", {"3000", "3600000"}},
    {"--write-timeout-ms", {"1000", "200"}},
    {"--shutdown-grace-ms", {"0", "60000"}},
    {"--log-level", {"debug", "error"}},
    {"--api-token", {"t1:ZONE_A,ZONE_B", "t2"}},
    {"--api-key", {"me@example.com:1111111111111111111111111111111111111", "you@example.com:2222222222222222222222222222222222222"}},
    {"--key-pool", {"0", "9"}},
    {"--key-workers", {"3", "64"}},
    {"--ca-dir", {"/tmp/ca", "ca"}},
    {"--key-encryption-key-file", {"/tmp/kek", "kek.txt"}},
    {"--trust-bundle", {"/tmp/a.pem", "b.pem"}},
    {"--system-trust-bundle", {"", "/tmp/roots.pem"}},
    {"--validation", {"manual", "off"}},
    {"--validation-step", {"0", "86400000"}},
    {"--dns-server", {"127.0.0.1:53", "[::1]:5353"}},
    {"--cname-target", {"ssl.saas.io", "other.saas.io"}},
    {"--validation-backoff-scale", {"0.001", "1e-5"}},
    {"--validation-http-port", {"8080", "1"}},
    {"--edge-listen", {"127.0.0.1:8443", "0.0.0.0:443"}},
    {"--edge-http-listen", {"127.0.0.1:0", "[::]:80"}},
    {"--edge-threads", {"3", "256"}},
    {"--edge-origin-port", {"3000", "65535"}},
    {"--edge-resolve", {"app.saas.io:127.0.0.1", "api.saas.io:::1"}},
    {"--edge-connect-timeout", {"250", "1"}},
    {"--edge-read-timeout", {"500", "3600000"}},
    {"--edge-unknown-sni-alert", {"unrecognized_name", "unrecognized_name"}},
    {"--edge-always-https", {"on", "on"}},
    {"--edge-max-connections", {"300", "1000000"}},
    {"--edge-max-body", {"0", "5000"}},
    {"--seed", {"0", "18446744073709551615"}},
    {"--clock-start", {"2027-01-01T00:00:00Z", "1970-01-01T00:00:00Z"}},
    {"--journal-size", {"1", "1000000"}},
    {"--journal-bytes", {"65536", "1048576"}},
    {"--journal-body-limit", {"0", "10"}},
    {"--rate-limit", {"on", "on"}},
    {"--rate-limit-quota", {"1", "1000000000"}},
    {"--rate-limit-window", {"1", "86400"}},
    {"--gateway-errors", {"legacy", "legacy"}},
    {"--seed-file", {"/tmp/state.json", "state.json"}},
    {"--hostname-quota", {"1", "1000000000"}},
    {"--certificate-quota", {"2", "3"}},
    {"--control-token", {"ctl-secret", "other-secret"}},
    {"--account-id", {"0123456789abcdef0123456789abcdef", "acct"}},
    {"--notification-timeout-ms", {"1", "600000"}},
    {"--notification-retry-ms", {"20", "3600000"}},
    {"--notification-max-attempts", {"1", "100"}},
    {"--allowed-host", {"csr-emulator", "[::1]"}},
    {"--zone", {"acme.io", "shop.acme.io:0123456789abcdef0123456789abcdef"}},
    {"--zone-activation", {"60", "86400"}},
    {"--origin-ca-key", {"v1.0-aaa", "v1.0-bbb"}},
    {"--service-keys", {"refuse", "refuse"}},
    {"--api-tls-listen", {"127.0.0.1:8791", "0.0.0.0:443"}},
};

bool two_choice_only(const std::string& flag) {
    // Settings with one word besides the default: both samples are that word.
    return flag == "--edge-unknown-sni-alert" || flag == "--edge-always-https" || flag == "--rate-limit" ||
           flag == "--gateway-errors" || flag == "--service-keys";
}

}  // namespace

TEST_CASE("settings table: every row has a flag, a CSR_EMULATOR_ variable and help, all in --help") {
    auto help = server::usage_text();
    std::set<std::string_view> flags, variables;
    for (const auto& s : server::config_settings()) {
        CAPTURE(s.flag);
        CHECK(s.flag.starts_with("--"));
        CHECK(s.env.starts_with("CSR_EMULATOR_"));
        CHECK_FALSE(s.help.empty());
        CHECK_FALSE(s.value_name.empty());
        CHECK(s.field.apply);
        CHECK(s.field.show);
        CHECK((s.field.list == server::ListSyntax::single || s.field.clear));
        CHECK(flags.insert(s.flag).second);  // no flag or variable twice
        CHECK(variables.insert(s.env).second);
        CHECK(help.find("  " + std::string(s.flag) + " ") != std::string::npos);
        CHECK(help.find("[" + std::string(s.env)) != std::string::npos);
        if (!s.default_value.empty()) CHECK(help.find("(default " + std::string(s.default_value) + ")") != std::string::npos);
    }
    CHECK(help.find("CSR_EMULATOR_KEY_ENCRYPTION_KEY ") != std::string::npos);  // the variable with no flag
}

TEST_CASE("settings table: samples cover every setting") {
    std::set<std::string> rows;
    for (const auto& s : server::config_settings()) {
        CAPTURE(s.flag);
        rows.insert(std::string(s.flag));
        CHECK(samples.count(std::string(s.flag)) == 1);
    }
    for (const auto& [flag, values] : samples) CHECK_MESSAGE(rows.count(flag) == 1, flag);
}

TEST_CASE("settings table: the default --help prints is the one the server starts with") {
    const server::Config defaults;
    CHECK(parsed({}) == defaults);
    for (const auto& s : server::config_settings()) {
        if (s.default_value.empty()) continue;
        CAPTURE(s.flag);
        CHECK(parsed({std::string(s.flag), std::string(s.default_value)}) == defaults);
    }
}

TEST_CASE("settings table: each variable gives the same configuration as its flag, and flags win") {
    const server::Config defaults;
    for (const auto& s : server::config_settings()) {
        std::string flag(s.flag), env(s.env);
        CAPTURE(flag);
        auto it = samples.find(flag);
        REQUIRE(it != samples.end());
        const auto& [first, second] = it->second;
        auto by_flag = parsed({flag, first});
        CHECK(by_flag != defaults);  // the sample reaches the configuration
        CHECK(parsed({flag + "=" + first}) == by_flag);
        CHECK(parsed({}, {{env, first}}) == by_flag);
        // The flag wins over its variable (for a list, its items replace the variable's).
        CHECK(parsed({flag, first}, {{env, second}}) == by_flag);
        if (!two_choice_only(flag)) CHECK(parsed({}, {{env, second}}) != by_flag);
    }
}

TEST_CASE("settings table: a list's variable holds what its repeated flag gives") {
    struct Case {
        std::string env, value;
        std::vector<std::string> flags;
    };
    for (const auto& c : std::vector<Case>{
             {"CSR_EMULATOR_API_TOKENS", "t1:ZONE_A,ZONE_B;t2 t3", {"--api-token", "t1:ZONE_A,ZONE_B", "--api-token", "t2", "--api-token", "t3"}},
             {"CSR_EMULATOR_API_TOKENS", "t1,t2", {"--api-token", "t1", "--api-token", "t2"}},  // commas without ':'
             {"CSR_EMULATOR_API_KEYS", "a@x.io:1111111111111111111111111111111111111,b@x.io:2222222222222222222222222222222222222", {"--api-key", "a@x.io:1111111111111111111111111111111111111", "--api-key", "b@x.io:2222222222222222222222222222222222222"}},
             {"CSR_EMULATOR_TRUST_BUNDLES", "a.pem,,b.pem", {"--trust-bundle", "a.pem", "--trust-bundle", "b.pem"}},
             {"CSR_EMULATOR_EDGE_RESOLVE", "a.io:10.0.0.1,b.io:::1", {"--edge-resolve", "a.io:10.0.0.1", "--edge-resolve", "b.io:::1"}},
             {"CSR_EMULATOR_ALLOWED_HOSTS", "csr-emulator,console.internal",
              {"--allowed-host", "csr-emulator", "--allowed-host", "console.internal"}},
         }) {
        CAPTURE(c.env);
        CHECK(parsed({}, {{c.env, c.value}}) == parsed(c.flags));
    }
    auto scoped = parsed({}, {{"CSR_EMULATOR_API_TOKENS", "t1:ZONE_A,ZONE_B;t2"}});
    CHECK(scoped.api_tokens == std::vector<std::string>{"t1", "t2"});
    REQUIRE(scoped.token_scopes.size() == 1);
    CHECK(scoped.token_scopes[0].second == std::vector<std::string>{"ZONE_A", "ZONE_B"});
}

TEST_CASE("settings table: a malformed value is a usage error naming the flag, from the flag or the variable") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"--listen", "nonsense"}, {"--db", ""}, {"--threads", "0"}, {"--max-body", "1023"},
        {"--max-header-bytes", "lots"}, {"--max-connections", "-1"}, {"--idle-timeout-ms", "99"},
        {"--header-timeout-ms", "3600001"}, {"--write-timeout-ms", "5"}, {"--shutdown-grace-ms", "3600001"}, {"--log-level", "loud"},
        {"--api-key", "no-colon"}, {"--api-key", "me@x.io:not-a-global-key"}, {"--key-pool", "1025"}, {"--key-workers", "0"}, {"--ca-dir", ""},
        {"--key-encryption-key-file", ""}, {"--validation", "sometimes"}, {"--validation-step", "-1"},
        {"--dns-server", "127.0.0.1:0"}, {"--validation-backoff-scale", "0"}, {"--validation-http-port", "0"},
        {"--edge-listen", "8443"}, {"--edge-http-listen", "::1"}, {"--edge-threads", "257"},
        {"--edge-origin-port", "65536"}, {"--edge-resolve", "app.saas.io"}, {"--edge-connect-timeout", "0"},
        {"--edge-read-timeout", "soon"}, {"--edge-unknown-sni-alert", "close_notify"}, {"--edge-always-https", "yes"},
        {"--edge-max-connections", "1000001"}, {"--edge-max-body", "1e6"}, {"--seed", "-1"},
        {"--clock-start", "yesterday"}, {"--journal-size", "0"}, {"--journal-bytes", "1000"},
        {"--journal-body-limit", "lots"}, {"--rate-limit", "yes"}, {"--rate-limit-quota", "0"},
        {"--rate-limit-window", "86401"}, {"--gateway-errors", "modern"}, {"--seed-file", ""},
        {"--hostname-quota", "-1"}, {"--certificate-quota", "many"}, {"--control-token", "two words"},
        {"--allowed-host", "evil/example"}, {"--zone", "not a zone"}, {"--zone", "acme.io:xyz"},
        {"--origin-ca-key", "no-prefix"}, {"--service-keys", "maybe"}, {"--api-tls-listen", "8791"},
        {"--api-token", ":ZONE"}, {"--trust-bundle", ""},
    };
    for (const auto& [flag, value] : bad) {
        CAPTURE(flag);
        CAPTURE(value);
        auto by_flag = parse_settings({flag, value});
        CHECK_FALSE(by_flag.config);
        CHECK(by_flag.exit_code == 2);
        CHECK(by_flag.output.starts_with("csr-emulator: " + flag + ": "));
        const auto* row = [&]() -> const server::Setting* {
            for (const auto& s : server::config_settings())
                if (s.flag == flag) return &s;
            return nullptr;
        }();
        REQUIRE(row);
        if (value.empty() && row->field.list != server::ListSyntax::single) continue;  // a list's variable skips empties
        auto by_env = parse_settings({}, {{std::string(row->env), value}});
        CHECK(by_env.exit_code == 2);
        CHECK(by_env.output == by_flag.output);
    }
    CHECK(parse_settings({"--no-such-flag"}).output == "csr-emulator: unknown option '--no-such-flag' (see --help)\n");
    CHECK(parse_settings({"--db"}).output == "csr-emulator: --db: missing value\n");
    CHECK(parse_settings({"--threads", "zero"}).output ==
          "csr-emulator: --threads: expected a whole number from 1 to 256, got 'zero'\n");
    CHECK(parse_settings({"--log-level", "loud"}).output ==
          "csr-emulator: --log-level: expected debug, info, warn or error, got 'loud'\n");
    CHECK(parse_settings({"--validation", "dns"}).output ==
          "csr-emulator: --validation dns needs --dns-server IP:PORT (or CSR_EMULATOR_DNS_SERVER)\n");
}

TEST_CASE("settings table: the start-up log counts credentials and never prints them") {
    auto config = parsed({"--api-token", "tok-secret-1:ZONE_A", "--api-key", "me@x.io:5ec2e72000000000000000000000000000000", "--control-token",
                          "ctl-secret-3", "--listen", "[::1]:0", "--max-connections", "0"},
                         {{"CSR_EMULATOR_API_TOKENS", "env-secret-4"}, {"CSR_EMULATOR_KEY_ENCRYPTION_KEY", "kek-secret-5"}});
    auto text = config.describe();
    for (auto secret : {"secret-1", "5ec2e72", "secret-3", "secret-4", "secret-5"}) CHECK(text.find(secret) == std::string::npos);
    CHECK(text.starts_with("listen=[::1]:0 db=data/csr-emulator.sqlite3 threads=2 "));
    CHECK(text.find(" max_connections=auto idle_timeout_ms=30000 ") != std::string::npos);
    CHECK(text.find(" api_tokens=1 api_keys=1 ") != std::string::npos);
    CHECK(text.find(" key_encryption=environment ") != std::string::npos);
    CHECK(text.find(" control_token=set allowed_hosts=none") != std::string::npos);
    CHECK(text.find(" auth=strict token_scopes=1") != std::string::npos);
    CHECK(text.find("edge_threads") == std::string::npos);  // the edge's details only when it is on
    CHECK(text.find("dns_server") == std::string::npos);    // dns mode's only in dns mode
}
