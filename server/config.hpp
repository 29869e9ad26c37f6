#pragma once
// The process configuration: command-line flags, each with a CSR_EMULATOR_* environment twin
// (flags win). One struct, printed at start with secrets masked. Each setting's flag, variable,
// default, help and reader are one row of the table in config_settings.cpp.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/log.hpp"

namespace server {

struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8790;
    std::string db_path = "data/csr-emulator.sqlite3";
    unsigned threads = 2;
    std::size_t max_body = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_connections = 0;     // 0: as many as the descriptor limit allows
    unsigned idle_timeout_ms = 30'000;   // keep-alive gap before a request's first byte
    unsigned header_timeout_ms = 10'000; // first byte to the end of the headers
    unsigned write_timeout_ms = 30'000;  // each write of a response (each piece of a streamed one)
    unsigned shutdown_grace_ms = 4'500;  // SIGTERM: requests in flight get this long (docker stop waits 10 s)
    api::LogLevel log_level = api::LogLevel::info;
    std::vector<std::string> api_tokens;
    std::vector<std::pair<std::string, std::string>> api_keys;  // (email, key)
    std::vector<std::string> origin_ca_keys;  // Origin CA service keys accepted (none: any well-formed)
    std::string service_keys = "accept";      // or refuse: service keys get 403 / 1016
    // The API over TLS too, with a certificate for api.cloudflare.com from the test CA.
    std::optional<std::pair<std::string, std::uint16_t>> api_tls_listen;
    unsigned key_pool = 4;        // RSA-2048 keys generated ahead of requests
    unsigned key_workers = 0;     // threads generating keys; 0: one per core
    std::optional<std::string> ca_dir;
    // Private keys encrypted at rest: a file holding the 32-byte key (hex or base64), or the key
    // itself from CSR_EMULATOR_KEY_ENCRYPTION_KEY (environment only: a command line is public).
    std::optional<std::string> key_encryption_key_file;
    std::optional<std::string> key_encryption_key;
    std::vector<std::string> trust_bundles;
    std::string system_trust_bundle = "/etc/ssl/certs/ca-certificates.crt";

    // The edge (off unless a listen address is given): TLS by SNI and a plain-HTTP port.
    std::optional<std::pair<std::string, std::uint16_t>> edge_listen, edge_http_listen;
    unsigned edge_threads = 2;
    std::uint16_t edge_origin_port = 80;
    std::vector<std::pair<std::string, std::string>> edge_resolve;  // (host, ip), like curl --resolve
    unsigned edge_connect_timeout_ms = 19'000;   // Cloudflare: 522 after 19 s without SYN+ACK
    unsigned edge_read_timeout_ms = 120'000;     // Cloudflare: 524 after 120 s without a response
    std::string edge_unknown_sni_alert = "handshake_failure";  // or unrecognized_name
    bool edge_always_https = false;              // plain HTTP: 301 to https instead of proxying
    std::size_t edge_max_connections = 0;        // 0: from the descriptor limit (see edge_config.cpp)
    std::uint64_t edge_max_body = 100ull * 1024 * 1024;  // Cloudflare Free/Pro: 100 MB; then 413

    // The control plane (/_emulator/…): clock, ids, journal, rate limit, gateway errors, quotas.
    std::optional<std::uint64_t> seed;                 // same seed + same requests = same ids
    std::optional<std::string> clock_start;            // RFC 3339; checked when parsed
    std::size_t journal_size = 1000;
    // The journal's memory: all entries together, and each request or response body in one.
    std::size_t journal_bytes = 64 * 1024 * 1024;
    std::size_t journal_body_limit = 64 * 1024;
    bool rate_limit = false;
    std::int64_t rate_limit_quota = 1200;              // Cloudflare: 1200 requests per 5 minutes
    std::int64_t rate_limit_window_seconds = 300;
    std::string gateway_errors = "current";            // or legacy
    std::vector<std::pair<std::string, std::vector<std::string>>> token_scopes;  // token -> zones
    std::optional<std::string> seed_file;              // state document loaded before listening
    std::optional<std::int64_t> hostname_quota, certificate_quota;  // per zone; none: unlimited

    // Zones that exist from the start, (name, id or "" for a new one), and how long a zone made
    // by POST /zones stays pending.
    std::vector<std::pair<std::string, std::string>> zones;
    unsigned zone_activation_seconds = 0;

    // Access to the API listener: the control plane's credential (sent as Authorization: Bearer),
    // and Host names served besides IP literals, localhost and the listen host ("*": any).
    std::optional<std::string> control_token;
    std::vector<std::string> allowed_hosts;

    // How custom hostname statuses move: off (settled at creation, as before the lifecycle),
    // auto (one state per step), manual (emulator routes).
    std::string validation = "auto";  // Cloudflare's sequence, about a second end to end
    unsigned validation_step_ms = 250;  // a DV certificate's four steps then take about a second
    // dns mode: the server every lookup asks (required), what hostnames must CNAME to (empty:
    // the zone's fallback origin), the factor on Cloudflare's re-check schedule (tests shrink
    // it), and the port token URLs are fetched on (80 as Cloudflare; a test origin differs).
    std::optional<std::pair<std::string, std::uint16_t>> dns_server;
    std::string cname_target;
    double validation_backoff_scale = 1.0;
    std::uint16_t validation_http_port = 80;

    // Notifications: the account every zone belongs to, and webhook delivery.
    std::string account_id = "023e105f4ecef8ad9ca31a8372d0c353";
    unsigned notification_timeout_ms = 5000;
    unsigned notification_retry_ms = 1000;
    unsigned notification_max_attempts = 5;

    // "listen=127.0.0.1:8790 db=... api_tokens=2 (values hidden) ..." for the start-up log.
    std::string describe() const;

    bool operator==(const Config&) const = default;
};

struct ParseOutcome {
    std::optional<Config> config;  // set when the server should start
    int exit_code = 0;             // otherwise: 0 after --help/--version, 2 for a usage error
    std::string output;            // text for stdout (help/version) or stderr (error)
};

// env: name -> value lookup (getenv in main, a map in tests).
ParseOutcome parse_config(const std::vector<std::string>& args,
                          const std::function<std::optional<std::string>(const std::string&)>& env);

std::string usage_text();
const char* version_text();

// "127.0.0.1:8790", "[::1]:0", "0.0.0.0:8790" -> host, port; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(const std::string& text);

}  // namespace server
