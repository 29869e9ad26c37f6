#include "server/config_settings.hpp"

#include "api/auth.hpp"

#include <cstdint>
#include <vector>

#include "api/auth.hpp"
#include "api/time_text.hpp"
#include "api/zones/zone_names.hpp"
#include "server/config_fields.hpp"

namespace server {
namespace {

using namespace fields;

bool dns_mode(const Config& c) { return c.validation == "dns"; }
bool edge_on(const Config& c) { return c.edge_listen || c.edge_http_listen; }

// The settings whose reading is their own; the rest are made of the kinds in config_fields.hpp.

Field listen_address() {
    return {[](Config& c, std::string_view, const std::string& v) {
                auto hp = parse_host_port(v);
                if (!hp) throw UsageError("--listen: expected HOST:PORT (e.g. 127.0.0.1:8790 or [::1]:0), got '" + v + "'");
                c.listen_host = hp->first;
                c.listen_port = hp->second;
            },
            [](const Config& c) {
                auto host = c.listen_host.find(':') != std::string::npos ? "[" + c.listen_host + "]" : c.listen_host;
                return host + ":" + std::to_string(c.listen_port);
            }};
}

Field log_level() {
    return {[](Config& c, std::string_view flag, const std::string& v) {
                auto word = parse_choice(flag, v, {"debug", "info", "warn", "error"});
                c.log_level = word == "debug" ? api::LogLevel::debug
                              : word == "info" ? api::LogLevel::info
                              : word == "warn" ? api::LogLevel::warn
                                               : api::LogLevel::error;
            },
            [](const Config& c) { return std::string(api::log_level_name(c.log_level)); }};
}

// Each token goes to api_tokens; a scoped one's zones to token_scopes as well.
Field api_tokens() {
    return {[](Config& c, std::string_view, const std::string& v) {
                if (v.empty()) throw UsageError("--api-token: expected a token");
                auto spec = parse_token_spec(v);
                c.api_tokens.push_back(spec.token);
                if (spec.zones) c.token_scopes.emplace_back(spec.token, std::move(*spec.zones));
            },
            [](const Config& c) { return std::to_string(c.api_tokens.size()); }, ListSyntax::entries,
            [](Config& c) { c.api_tokens.clear(), c.token_scopes.clear(); }};
}

// Whether keys are encrypted and by what, never the key.
Field key_encryption_key_file() {
    Field field = optional_text(&Config::key_encryption_key_file, "expected a file");
    field.show = [](const Config& c) {
        return c.key_encryption_key_file ? "file:" + *c.key_encryption_key_file
               : c.key_encryption_key    ? std::string("environment")
                                         : std::string("off");
    };
    return field;
}

Field dns_server() {
    return {[](Config& c, std::string_view, const std::string& v) {
                auto hp = parse_host_port(v);
                if (!hp || hp->second == 0)
                    throw UsageError("--dns-server: expected IP:PORT of a DNS server (e.g. 127.0.0.1:53), got '" + v + "'");
                c.dns_server = hp;
            },
            [](const Config& c) {
                return c.dns_server ? c.dns_server->first + ":" + std::to_string(c.dns_server->second) : std::string("none");
            }};
}

Field backoff_scale() {
    return {[](Config& c, std::string_view flag, const std::string& v) { c.validation_backoff_scale = parse_scale(flag, v); },
            [](const Config& c) { return std::to_string(c.validation_backoff_scale); }};
}

Field seed() {
    return {[](Config& c, std::string_view flag, const std::string& v) {
                c.seed = parse_number<std::uint64_t>(flag, v, 0, UINT64_MAX);
            },
            [](const Config& c) { return c.seed ? std::to_string(*c.seed) : std::string("random"); }};
}

Field clock_start() {
    return {[](Config& c, std::string_view, const std::string& v) {
                if (!api::parse_rfc3339(v))
                    throw UsageError("--clock-start: expected an RFC 3339 time " + std::string(api::instant_range_text) +
                                     " such as 2027-01-01T00:00:00Z, got '" + v + "'");
                c.clock_start = v;
            },
            [](const Config& c) { return c.clock_start.value_or("now"); }};
}

// Whether a control token is set, never the token.
Field control_token() {
    return {[](Config& c, std::string_view, const std::string& v) {
                if (!printable_token(v))
                    throw UsageError("--control-token: expected a token of printable characters without spaces");
                c.control_token = v;
            },
            [](const Config& c) { return std::string(c.control_token ? "set" : "none"); }};
}

std::pair<std::string, std::string> api_key(std::string_view, const std::string& v) {
    auto pair = split_pair(v);
    if (!pair) throw UsageError("--api-key: expected EMAIL:KEY");  // without the text: it may hold a key
    // Any other shape would be refused as malformed (400 / 6003) before it is compared.
    if (!api::well_formed_api_key(pair->second))
        throw UsageError("--api-key: KEY must be a global API key's shape, 37 hexadecimal digits");
    return *pair;
}

std::string trust_bundle(std::string_view, const std::string& v) {
    if (v.empty()) throw UsageError("--trust-bundle: expected a file");
    return v;
}

std::pair<std::string, std::string> resolve_entry(std::string_view, const std::string& v) {
    auto pair = split_pair(v);
    if (!pair) throw UsageError("--edge-resolve: expected HOST:IP, got '" + v + "'");
    return *pair;
}

std::string origin_ca_key(std::string_view, const std::string& v) {
    if (!v.starts_with("v1.0-") || v.find_first_of(" \t,") != std::string::npos)
        throw UsageError("--origin-ca-key: expected a service key starting with v1.0-");
    return v;
}

std::pair<std::string, std::string> zone_entry(std::string_view, const std::string& v) {
    auto colon = v.find(':');
    std::string name = v.substr(0, colon), id = colon == std::string::npos ? "" : v.substr(colon + 1);
    bool id_ok = id.empty() || (id.size() == 32 && id.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos);
    if (!api::is_zone_name(name) || !id_ok)
        throw UsageError("--zone: expected NAME[:ID] (a zone name, an id of 32 hex digits), got '" + v + "'");
    return {name, id};
}

std::string allowed_host(std::string_view, const std::string& v) {
    if (!host_name(v))
        throw UsageError("--allowed-host: expected a host name without port (e.g. csr-emulator), an IP address "
                         "or * (any host: unsafe), got '" + v + "'");
    return v;
}

// The order is --help's, the start-up log's, and the order the variables are read in.
std::vector<Setting> make_settings() {
    constexpr std::size_t KiB = 1024, MiB = KiB * KiB, GiB = MiB * KiB, TiB = GiB * KiB;
    return {
        // The API listener and its connections.
        {"--listen", "CSR_EMULATOR_LISTEN", "HOST:PORT", "127.0.0.1:8790", "address to listen on; port 0 picks a free port",
         listen_address()},
        {"--db", "CSR_EMULATOR_DB", "PATH", "data/csr-emulator.sqlite3", "SQLite database file, or :memory:",
         text(&Config::db_path, "expected a file path or :memory:")},
        {"--threads", "CSR_EMULATOR_THREADS", "N", "2", "threads serving connections", number(&Config::threads, 1, 256)},
        {"--max-body", "CSR_EMULATOR_MAX_BODY", "BYTES", "1048576", "largest request body",
         number(&Config::max_body, KiB, GiB)},
        {"--max-header-bytes", "CSR_EMULATOR_MAX_HEADER_BYTES", "BYTES", "16384",
         "largest request line + headers; larger gets 431", number(&Config::max_header_bytes, KiB, MiB)},
        {"--max-connections", "CSR_EMULATOR_MAX_CONNECTIONS", "N", "0",
         "open connections at most; the idlest makes room; 0: the descriptor limit less 64",
         logged_as(number(&Config::max_connections, 0, 1'000'000), "0", "auto")},
        {"--idle-timeout-ms", "CSR_EMULATOR_IDLE_TIMEOUT_MS", "MS", "30000",
         "close a connection idle this long before a request", number(&Config::idle_timeout_ms, 100, 3'600'000)},
        {"--header-timeout-ms", "CSR_EMULATOR_HEADER_TIMEOUT_MS", "MS", "10000",
         "headers must arrive within this from their first byte", number(&Config::header_timeout_ms, 100, 3'600'000)},
        {"--write-timeout-ms", "CSR_EMULATOR_WRITE_TIMEOUT_MS", "MS", "30000",
         "a client must take each write of an answer within this; slower is cut off and logged",
         number(&Config::write_timeout_ms, 100, 3'600'000)},
        {"--shutdown-grace-ms", "CSR_EMULATOR_SHUTDOWN_GRACE_MS", "MS", "4500",
         "on SIGTERM, requests in flight get this long to finish before their connections close",
         number(&Config::shutdown_grace_ms, 0, 3'600'000)},
        {"--log-level", "CSR_EMULATOR_LOG_LEVEL", "LEVEL", "info", "debug, info, warn or error", log_level()},

        // Credentials and keys.
        {"--api-token", "CSR_EMULATOR_API_TOKENS", "TOKEN[:ZONES]", "",
         "accept only these bearer tokens; TOKEN:ZONE[,ZONE...] limits one to those zones", api_tokens(), "api_tokens"},
        {"--api-key", "CSR_EMULATOR_API_KEYS", "EMAIL:KEY", "", "accept only these EMAIL:KEY pairs (KEY: a global API key, 37 hex digits)",
         list(&Config::api_keys, ListSyntax::commas, api_key, Logged::count), "api_keys"},
        {"--origin-ca-key", "CSR_EMULATOR_ORIGIN_CA_KEYS", "KEY", "",
         "accept only these Origin CA service keys (X-Auth-User-Service-Key) on /certificates",
         list(&Config::origin_ca_keys, ListSyntax::commas, origin_ca_key, Logged::count), "origin_ca_keys"},
        {"--service-keys", "CSR_EMULATOR_SERVICE_KEYS", "accept|refuse", "accept",
         "refuse: Origin CA service keys get 403 / 1016, as after Cloudflare retired them",
         choice(&Config::service_keys, {"accept", "refuse"})},
        {"--key-pool", "CSR_EMULATOR_KEY_POOL", "N", "4", "RSA-2048 keys generated ahead of requests; 0 disables",
         number(&Config::key_pool, 0, 1024)},
        {"--key-workers", "CSR_EMULATOR_KEY_WORKERS", "N", "", "threads generating RSA keys (default: one per core)",
         number(&Config::key_workers, 1, 64)},
        {"--ca-dir", "CSR_EMULATOR_CA_DIR", "DIR", "",
         "directory with root.pem + root.key to use as the test CA root (default: a root kept in the database)",
         optional_text(&Config::ca_dir, "expected a directory"), {}, [](const Config& c) { return c.ca_dir.has_value(); }},
        {"--key-encryption-key-file", "CSR_EMULATOR_KEY_ENCRYPTION_KEY_FILE", "FILE", "",
         "file with a 32-byte key (64 hex digits or base64) encrypting private keys at rest (AES-256-GCM); "
         "or the key itself in CSR_EMULATOR_KEY_ENCRYPTION_KEY (default: not encrypted)",
         key_encryption_key_file(), "key_encryption"},
        {"--trust-bundle", "CSR_EMULATOR_TRUST_BUNDLES", "FILE", "", "extra PEM roots to trust",
         list(&Config::trust_bundles, ListSyntax::commas, trust_bundle), {},
         [](const Config& c) { return !c.trust_bundles.empty(); }},
        {"--system-trust-bundle", "CSR_EMULATOR_SYSTEM_TRUST_BUNDLE", "FILE", "/etc/ssl/certs/ca-certificates.crt",
         "system roots file; empty: none", logged_as(text(&Config::system_trust_bundle), "", "none")},

        // How custom hostname statuses move.
        {"--validation", "CSR_EMULATOR_VALIDATION", "MODE", "auto",
         "how hostname statuses move: auto (one state per step), off (settled at creation), manual, "
         "or dns (real DNS/HTTP checks, needs --dns-server)",
         choice(&Config::validation, {"off", "auto", "manual", "dns"})},
        {"--validation-step", "CSR_EMULATOR_VALIDATION_STEP", "MS", "250",
         "ms per status step in auto mode, and per unchecked step in dns mode; 0: at once",
         number(&Config::validation_step_ms, 0, 86'400'000)},
        {"--dns-server", "CSR_EMULATOR_DNS_SERVER", "IP:PORT", "", "dns mode: the DNS server every check asks (required)",
         dns_server(), {}, dns_mode},
        {"--cname-target", "CSR_EMULATOR_CNAME_TARGET", "NAME", "",
         "dns mode: what a hostname CNAMEs to to prove ownership (default: the zone's fallback origin)",
         logged_as(text(&Config::cname_target), "", "fallback-origin"), {}, dns_mode},
        {"--validation-backoff-scale", "CSR_EMULATOR_VALIDATION_BACKOFF_SCALE", "FACTOR", "1",
         "dns mode: factor on Cloudflare's re-check schedule and 7-day limits; 0.001: minutes become ms",
         backoff_scale(), {}, dns_mode},
        {"--validation-http-port", "CSR_EMULATOR_VALIDATION_HTTP_PORT", "PORT", "80",
         "dns mode: port the HTTP token checks connect to", number(&Config::validation_http_port, 1, 65535), {}, dns_mode},

        // The edge: TLS by SNI and plain HTTP in front of the customers' origins.
        {"--api-tls-listen", "CSR_EMULATOR_API_TLS_LISTEN", "HOST:PORT", "",
         "also serve the API over TLS, as api.cloudflare.com with a certificate from the test CA (default: off)",
         address(&Config::api_tls_listen, "127.0.0.1:8791")},
        {"--edge-listen", "CSR_EMULATOR_EDGE_LISTEN", "HOST:PORT", "", "address of the TLS edge (default: off)",
         address(&Config::edge_listen, "127.0.0.1:8443")},
        {"--edge-http-listen", "CSR_EMULATOR_EDGE_HTTP_LISTEN", "HOST:PORT", "", "address of the plain-HTTP edge (default: off)",
         address(&Config::edge_http_listen, "127.0.0.1:8443")},
        {"--edge-threads", "CSR_EMULATOR_EDGE_THREADS", "N", "2", "threads serving the edge listeners",
         number(&Config::edge_threads, 1, 256), {}, edge_on},
        {"--edge-origin-port", "CSR_EMULATOR_EDGE_ORIGIN_PORT", "PORT", "80", "port the edge connects to on origins",
         number(&Config::edge_origin_port, 1, 65535), {}, edge_on},
        {"--edge-resolve", "CSR_EMULATOR_EDGE_RESOLVE", "HOST:IP", "", "address the edge uses for an origin name, like curl --resolve",
         list(&Config::edge_resolve, ListSyntax::commas, resolve_entry), {}, edge_on},
        {"--edge-connect-timeout", "CSR_EMULATOR_EDGE_CONNECT_TIMEOUT", "MS", "19000", "ms to connect to an origin before 522",
         number(&Config::edge_connect_timeout_ms, 1, 3'600'000), {}, edge_on},
        {"--edge-read-timeout", "CSR_EMULATOR_EDGE_READ_TIMEOUT", "MS", "120000",
         "ms to wait for an origin's response before 524", number(&Config::edge_read_timeout_ms, 1, 3'600'000), {}, edge_on},
        {"--edge-unknown-sni-alert", "CSR_EMULATOR_EDGE_UNKNOWN_SNI_ALERT", "ALERT", "handshake_failure",
         "TLS alert for a name with no certificate: handshake_failure or unrecognized_name",
         choice(&Config::edge_unknown_sni_alert, {"handshake_failure", "unrecognized_name"}), {}, edge_on},
        {"--edge-always-https", "CSR_EMULATOR_EDGE_ALWAYS_HTTPS", "on|off", "off",
         "on: the plain-HTTP edge redirects (301) to https; off: proxies", on_off(&Config::edge_always_https), {}, edge_on},
        {"--edge-max-connections", "CSR_EMULATOR_EDGE_MAX_CONNECTIONS", "N", "0",
         "visitor connections the edge holds open; at the limit the longest idle, then the oldest unfinished "
         "handshake, makes room; 0: a quarter of the descriptors left after the reserve, at most 1024",
         logged_as(number(&Config::edge_max_connections, 0, 1'000'000), "0", "auto"), {}, edge_on},
        {"--edge-max-body", "CSR_EMULATOR_EDGE_MAX_BODY", "BYTES", "104857600",
         "bytes of a visitor's request body the edge forwards before answering 413, by default Cloudflare's 100 MB",
         number(&Config::edge_max_body, 0, TiB), {}, edge_on},

        // The control plane (/_emulator/…).
        {"--seed", "CSR_EMULATOR_SEED", "N", "",
         "ids, tokens and fault dice from this seed: same seed + same requests = same ids (default: random)", seed()},
        {"--clock-start", "CSR_EMULATOR_CLOCK_START", "TIME", "",
         "start the emulator's clock at this RFC 3339 time (default: real time)", clock_start()},
        {"--journal-size", "CSR_EMULATOR_JOURNAL_SIZE", "N", "1000", "requests kept in the journal",
         number(&Config::journal_size, 1, 1'000'000)},
        {"--journal-bytes", "CSR_EMULATOR_JOURNAL_BYTES", "BYTES", "67108864",
         "bytes the journal's entries may hold together, by default 64 MiB; the oldest are dropped beyond",
         number(&Config::journal_bytes, 64 * KiB, TiB)},
        {"--journal-body-limit", "CSR_EMULATOR_JOURNAL_BODY_LIMIT", "BYTES", "65536",
         "bytes of each request and response body the journal keeps; the rest is cut and marked",
         number(&Config::journal_body_limit, 0, GiB)},
        {"--rate-limit", "CSR_EMULATOR_RATE_LIMIT", "on|off", "off", "on: 429 / 971 beyond the quota per credential",
         on_off(&Config::rate_limit)},
        {"--rate-limit-quota", "CSR_EMULATOR_RATE_LIMIT_QUOTA", "N", "1200", "requests per window and credential",
         number(&Config::rate_limit_quota, 1, 1'000'000'000)},
        {"--rate-limit-window", "CSR_EMULATOR_RATE_LIMIT_WINDOW", "SECONDS", "300", "rate limit window",
         number(&Config::rate_limit_window_seconds, 1, 86'400)},
        {"--gateway-errors", "CSR_EMULATOR_GATEWAY_ERRORS", "STYLE", "current",
         "current: bad ids 404 / 7003; legacy: 400 / 7003 + 7000", choice(&Config::gateway_errors, {"current", "legacy"})},
        {"--seed-file", "CSR_EMULATOR_SEED_FILE", "FILE", "", "load this state document (GET /_emulator/state) before listening",
         optional_text(&Config::seed_file, "expected a file"), {}, [](const Config& c) { return c.seed_file.has_value(); }},
        {"--hostname-quota", "CSR_EMULATOR_HOSTNAME_QUOTA", "N", "0", "custom hostnames per zone; more: 403 / 1405; 0: none",
         quota(&Config::hostname_quota)},
        {"--certificate-quota", "CSR_EMULATOR_CERTIFICATE_QUOTA", "N", "0",
         "custom certificates per zone; more: 400 / 1212; 0: none", quota(&Config::certificate_quota)},
        {"--zone", "CSR_EMULATOR_ZONES", "NAME[:ID]", "",
         "a zone that exists from the start and after a reset; ID: 32 hex digits (default: a new id)",
         list(&Config::zones, ListSyntax::commas, zone_entry), {}, [](const Config& c) { return !c.zones.empty(); }},
        {"--zone-activation", "CSR_EMULATOR_ZONE_ACTIVATION", "SECONDS", "0",
         "a zone made by POST /zones is pending this long on the emulator's clock, then active",
         number(&Config::zone_activation_seconds, 0, 31'536'000)},

        // Access to the API listener (api/emulator/control_access.hpp).
        {"--control-token", "CSR_EMULATOR_CONTROL_TOKEN", "TOKEN", "",
         "/_emulator/ routes (but health and ready) need Authorization: Bearer TOKEN; required to open them "
         "when --api-token/--api-key are set (default: none)",
         control_token()},
        {"--allowed-host", "CSR_EMULATOR_ALLOWED_HOSTS", "NAME", "",
         "a Host name served besides IP addresses, localhost and the listen host, e.g. a compose service name; "
         "* allows any: unsafe, opens DNS rebinding",
         list(&Config::allowed_hosts, ListSyntax::commas, allowed_host), "allowed_hosts"},

        // Notifications (api/notifications/): the account of every zone, and webhook delivery.
        {"--account-id", "CSR_EMULATOR_ACCOUNT_ID", "ID", "023e105f4ecef8ad9ca31a8372d0c353",
         "the account every zone belongs to: its notification policies get the zones' certificate events",
         text(&Config::account_id, "expected an account id")},
        {"--notification-timeout-ms", "CSR_EMULATOR_NOTIFICATION_TIMEOUT_MS", "MS", "5000",
         "ms a webhook receiver has to answer one POST", number(&Config::notification_timeout_ms, 1u, 600'000u)},
        {"--notification-retry-ms", "CSR_EMULATOR_NOTIFICATION_RETRY_MS", "MS", "1000",
         "wait after a failed delivery, doubled after each further failure (at most 5 min)",
         number(&Config::notification_retry_ms, 1u, 3'600'000u)},
        {"--notification-max-attempts", "CSR_EMULATOR_NOTIFICATION_MAX_ATTEMPTS", "N", "5",
         "attempts of one delivery before it is failed", number(&Config::notification_max_attempts, 1u, 100u)},
    };
}

}  // namespace

std::span<const Setting> config_settings() {
    static const std::vector<Setting> settings = make_settings();
    return settings;
}

std::string log_key(const Setting& setting) {
    if (!setting.log_key.empty()) return std::string(setting.log_key);
    std::string key(setting.flag.substr(2));
    for (char& c : key)
        if (c == '-') c = '_';
    return key;
}

}  // namespace server
