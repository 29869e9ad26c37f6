#include "server/config.hpp"

#include "api/time_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <stdexcept>

namespace server {
namespace {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

template <class Int>
Int parse_number(const std::string& flag, const std::string& text, Int min, Int max) {
    Int value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw UsageError(flag + ": expected a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + text + "'");
    return value;
}

api::LogLevel parse_level(const std::string& text) {
    if (text == "debug") return api::LogLevel::debug;
    if (text == "info") return api::LogLevel::info;
    if (text == "warn") return api::LogLevel::warn;
    if (text == "error") return api::LogLevel::error;
    throw UsageError("--log-level: expected debug, info, warn or error, got '" + text + "'");
}

// A positive factor such as 0.001 or 1e-5.
double parse_scale(const std::string& flag, const std::string& text) {
    char* end = nullptr;
    double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value <= 0 || value > 1000)
        throw UsageError(flag + ": expected a number above 0 and at most 1000 (e.g. 0.001), got '" + text + "'");
    return value;
}

std::pair<std::string, std::string> parse_api_key(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw UsageError("--api-key: expected EMAIL:KEY");
    return {text.substr(0, colon), text.substr(colon + 1)};
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) items.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return items;
}

std::pair<std::string, std::uint16_t> parse_edge_address(const std::string& flag, const std::string& value) {
    auto hp = parse_host_port(value);
    if (!hp) throw UsageError(flag + ": expected HOST:PORT (e.g. 127.0.0.1:8443), got '" + value + "'");
    return *hp;
}

std::pair<std::string, std::string> parse_resolve(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw UsageError("--edge-resolve: expected HOST:IP, got '" + text + "'");
    return {text.substr(0, colon), text.substr(colon + 1)};
}

void apply_edge(Config& config, const std::string& flag, const std::string& value, bool from_env) {
    if (flag == "--edge-listen") {
        config.edge_listen = parse_edge_address(flag, value);
    } else if (flag == "--edge-http-listen") {
        config.edge_http_listen = parse_edge_address(flag, value);
    } else if (flag == "--edge-threads") {
        config.edge_threads = parse_number<unsigned>(flag, value, 1, 256);
    } else if (flag == "--edge-origin-port") {
        config.edge_origin_port = parse_number<std::uint16_t>(flag, value, 1, 65535);
    } else if (flag == "--edge-resolve") {
        if (from_env) {
            for (auto& item : split_list(value)) config.edge_resolve.push_back(parse_resolve(item));
        } else {
            config.edge_resolve.push_back(parse_resolve(value));
        }
    } else if (flag == "--edge-connect-timeout") {
        config.edge_connect_timeout_ms = parse_number<unsigned>(flag, value, 1, 3'600'000);
    } else if (flag == "--edge-read-timeout") {
        config.edge_read_timeout_ms = parse_number<unsigned>(flag, value, 1, 3'600'000);
    } else if (flag == "--edge-unknown-sni-alert") {
        if (value != "handshake_failure" && value != "unrecognized_name")
            throw UsageError("--edge-unknown-sni-alert: expected handshake_failure or unrecognized_name, got '" + value + "'");
        config.edge_unknown_sni_alert = value;
    } else if (flag == "--edge-always-https") {
        if (value != "on" && value != "off") throw UsageError("--edge-always-https: expected on or off, got '" + value + "'");
        config.edge_always_https = value == "on";
    } else if (flag == "--edge-max-connections") {
        config.edge_max_connections = parse_number<std::size_t>(flag, value, 0, 1'000'000);
    } else if (flag == "--edge-max-body") {
        config.edge_max_body = parse_number<std::uint64_t>(flag, value, 0, std::uint64_t{1} << 40);
    } else {
        throw UsageError("unknown option '" + flag + "' (see --help)");
    }
}

// "TOKEN" or "TOKEN:ZONE[,ZONE…]": the token goes to api_tokens, its zones (if any) to token_scopes.
void add_token(Config& config, const std::string& spec) {
    auto colon = spec.find(':');
    std::string token = spec.substr(0, colon);
    if (token.empty()) throw UsageError("--api-token: expected TOKEN or TOKEN:ZONE[,ZONE...], got '" + spec + "'");
    config.api_tokens.push_back(token);
    if (colon == std::string::npos) return;
    std::vector<std::string> zones;
    std::string rest = spec.substr(colon + 1);
    std::size_t start = 0;
    while (true) {
        auto comma = rest.find(',', start);
        std::string zone = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (zone.empty()) throw UsageError("--api-token: empty zone in '" + spec + "'");
        zones.push_back(zone);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    config.token_scopes.emplace_back(token, std::move(zones));
}

// CSR_EMULATOR_API_TOKENS: entries separated by ';' or spaces, since a scoped entry has commas of
// its own ("t1:ZONE_A,ZONE_B;t2"). Without ';', spaces or ':' commas separate tokens, as before.
std::vector<std::string> token_entries(const std::string& text) {
    if (text.find_first_of("; \t:") == std::string::npos) return split_list(text);
    std::vector<std::string> items;
    std::string current;
    for (char c : text) {
        if (c == ';' || c == ' ' || c == '\t') {
            if (!current.empty()) items.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) items.push_back(current);
    return items;
}

std::optional<std::int64_t> parse_quota(const std::string& flag, const std::string& value) {
    auto n = parse_number<std::int64_t>(flag, value, 0, 1'000'000'000);
    if (n == 0) return std::nullopt;  // 0: no quota
    return n;
}

void apply_control(Config& config, const std::string& flag, const std::string& value) {
    if (flag == "--seed") {
        config.seed = parse_number<std::uint64_t>(flag, value, 0, UINT64_MAX);
    } else if (flag == "--clock-start") {
        if (!api::parse_rfc3339(value))
            throw UsageError("--clock-start: expected an RFC 3339 time " + std::string(api::instant_range_text) +
                             " such as 2027-01-01T00:00:00Z, got '" + value + "'");
        config.clock_start = value;
    } else if (flag == "--journal-size") {
        config.journal_size = parse_number<std::size_t>(flag, value, 1, 1'000'000);
    } else if (flag == "--rate-limit") {
        if (value != "on" && value != "off") throw UsageError("--rate-limit: expected on or off, got '" + value + "'");
        config.rate_limit = value == "on";
    } else if (flag == "--rate-limit-quota") {
        config.rate_limit_quota = parse_number<std::int64_t>(flag, value, 1, 1'000'000'000);
    } else if (flag == "--rate-limit-window") {
        config.rate_limit_window_seconds = parse_number<std::int64_t>(flag, value, 1, 86'400);
    } else if (flag == "--gateway-errors") {
        if (value != "current" && value != "legacy")
            throw UsageError("--gateway-errors: expected current or legacy, got '" + value + "'");
        config.gateway_errors = value;
    } else if (flag == "--seed-file") {
        if (value.empty()) throw UsageError("--seed-file: expected a file");
        config.seed_file = value;
    } else if (flag == "--hostname-quota") {
        config.hostname_quota = parse_quota(flag, value);
    } else if (flag == "--certificate-quota") {
        config.certificate_quota = parse_quota(flag, value);
    } else {
        throw UsageError("unknown option '" + flag + "' (see --help)");
    }
}

// Access to the API listener (api/emulator/control_access.hpp): the control plane's credential
// and the Host names served besides IP literals, localhost and the listen host.
void apply_access(Config& config, const std::string& flag, const std::string& value, bool from_env) {
    auto printable = [](const std::string& text) {
        return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    };
    auto host_name = [](const std::string& text) {
        if (text == "*") return true;
        std::string name = text.size() > 2 && text.front() == '[' && text.back() == ']' ? text.substr(1, text.size() - 2) : text;
        if (std::count(name.begin(), name.end(), ':') >= 2)  // an IPv6 address ("[::1]" or "::1")
            return std::all_of(name.begin(), name.end(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; });
        return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        });
    };
    if (flag == "--control-token") {
        if (!printable(value))
            throw UsageError("--control-token: expected a token of printable characters without spaces");
        config.control_token = value;
    } else if (flag == "--allowed-host") {
        std::vector<std::string> names = from_env ? split_list(value) : std::vector<std::string>{value};
        for (const auto& name : names) {
            if (!host_name(name))
                throw UsageError("--allowed-host: expected a host name without port (e.g. csr-emulator), an IP address "
                                 "or * (any host: unsafe), got '" + name + "'");
            config.allowed_hosts.push_back(name);
        }
    } else {
        throw UsageError("unknown option '" + flag + "' (see --help)");
    }
}

// The journal's byte budget and body limit (--journal-size, its count, is with the control plane).
void apply_journal(Config& config, const std::string& flag, const std::string& value) {
    if (flag == "--journal-bytes") {
        config.journal_bytes = parse_number<std::size_t>(flag, value, 64 * 1024, std::size_t{1} << 40);
    } else if (flag == "--journal-body-limit") {
        config.journal_body_limit = parse_number<std::size_t>(flag, value, 0, std::size_t{1} << 30);
    } else {
        throw UsageError("unknown option '" + flag + "' (see --help)");
    }
}

// Applies one setting, whether it came from a flag or from the environment.
void apply(Config& config, const std::string& flag, const std::string& value, bool from_env) {
    if (flag == "--listen") {
        auto hp = parse_host_port(value);
        if (!hp) throw UsageError("--listen: expected HOST:PORT (e.g. 127.0.0.1:8790 or [::1]:0), got '" + value + "'");
        config.listen_host = hp->first;
        config.listen_port = hp->second;
    } else if (flag == "--db") {
        if (value.empty()) throw UsageError("--db: expected a file path or :memory:");
        config.db_path = value;
    } else if (flag == "--threads") {
        config.threads = parse_number<unsigned>(flag, value, 1, 256);
    } else if (flag == "--max-body") {
        config.max_body = parse_number<std::size_t>(flag, value, 1024, std::size_t{1} << 30);
    } else if (flag == "--max-header-bytes") {
        config.max_header_bytes = parse_number<std::size_t>(flag, value, 1024, std::size_t{1} << 20);
    } else if (flag == "--max-connections") {
        config.max_connections = parse_number<std::size_t>(flag, value, 0, 1'000'000);
    } else if (flag == "--idle-timeout-ms") {
        config.idle_timeout_ms = parse_number<unsigned>(flag, value, 100, 3'600'000);
    } else if (flag == "--header-timeout-ms") {
        config.header_timeout_ms = parse_number<unsigned>(flag, value, 100, 3'600'000);
    } else if (flag == "--write-timeout-ms") {
        config.write_timeout_ms = parse_number<unsigned>(flag, value, 100, 3'600'000);
    } else if (flag == "--log-level") {
        config.log_level = parse_level(value);
    } else if (flag == "--api-token") {
        if (from_env) {
            for (auto& entry : token_entries(value)) add_token(config, entry);
        } else {
            if (value.empty()) throw UsageError("--api-token: expected a token");
            add_token(config, value);
        }
    } else if (flag == "--api-key") {
        if (from_env) {
            for (auto& item : split_list(value)) config.api_keys.push_back(parse_api_key(item));
        } else {
            config.api_keys.push_back(parse_api_key(value));
        }
    } else if (flag == "--key-pool") {
        config.key_pool = parse_number<unsigned>(flag, value, 0, 1024);
    } else if (flag == "--key-workers") {
        config.key_workers = parse_number<unsigned>(flag, value, 1, 64);
    } else if (flag == "--ca-dir") {
        if (value.empty()) throw UsageError("--ca-dir: expected a directory");
        config.ca_dir = value;
    } else if (flag == "--key-encryption-key-file") {
        if (value.empty()) throw UsageError("--key-encryption-key-file: expected a file");
        config.key_encryption_key_file = value;
    } else if (flag == "--trust-bundle") {
        if (from_env) {
            for (auto& file : split_list(value)) config.trust_bundles.push_back(file);
        } else {
            if (value.empty()) throw UsageError("--trust-bundle: expected a file");
            config.trust_bundles.push_back(value);
        }
    } else if (flag == "--system-trust-bundle") {
        config.system_trust_bundle = value;  // empty: trust no system roots
    } else if (flag == "--validation") {
        if (value != "off" && value != "auto" && value != "manual" && value != "dns")
            throw UsageError("--validation: expected off, auto, manual or dns, got '" + value + "'");
        config.validation = value;
    } else if (flag == "--validation-step") {
        config.validation_step_ms = parse_number<unsigned>(flag, value, 0, 86'400'000);
    } else if (flag == "--dns-server") {
        auto hp = parse_host_port(value);
        if (!hp || hp->second == 0)
            throw UsageError("--dns-server: expected IP:PORT of a DNS server (e.g. 127.0.0.1:53), got '" + value + "'");
        config.dns_server = hp;
    } else if (flag == "--cname-target") {
        config.cname_target = value;  // empty: the zone's fallback origin
    } else if (flag == "--validation-backoff-scale") {
        config.validation_backoff_scale = parse_scale(flag, value);
    } else if (flag == "--validation-http-port") {
        config.validation_http_port = parse_number<std::uint16_t>(flag, value, 1, 65535);
    } else if (flag == "--control-token" || flag == "--allowed-host") {
        apply_access(config, flag, value, from_env);
    } else if (flag.starts_with("--edge-")) {
        apply_edge(config, flag, value, from_env);
    } else if (flag == "--journal-bytes" || flag == "--journal-body-limit") {
        apply_journal(config, flag, value);
    } else if (flag == "--seed" || flag == "--clock-start" || flag == "--journal-size" || flag.starts_with("--rate-limit") ||
               flag == "--gateway-errors" || flag == "--seed-file" || flag.ends_with("-quota")) {
        apply_control(config, flag, value);
    } else {
        throw UsageError("unknown option '" + flag + "' (see --help)");
    }
}

struct Setting {
    const char* flag;
    const char* env;
    const char* help;
};

constexpr Setting settings[] = {
    {"--listen", "CSR_EMULATOR_LISTEN", "HOST:PORT to listen on (default 127.0.0.1:8790; port 0 picks a free port)"},
    {"--db", "CSR_EMULATOR_DB", "SQLite database file, or :memory: (default data/csr-emulator.sqlite3)"},
    {"--threads", "CSR_EMULATOR_THREADS", "threads serving connections (default 2)"},
    {"--max-body", "CSR_EMULATOR_MAX_BODY", "largest request body in bytes (default 1048576)"},
    {"--max-header-bytes", "CSR_EMULATOR_MAX_HEADER_BYTES", "largest request line + headers in bytes (default 16384); larger gets 431"},
    {"--max-connections", "CSR_EMULATOR_MAX_CONNECTIONS",
     "open connections at most (default 0: descriptor limit less 64); idlest makes room"},
    {"--idle-timeout-ms", "CSR_EMULATOR_IDLE_TIMEOUT_MS", "close a connection idle this long before a request (default 30000)"},
    {"--header-timeout-ms", "CSR_EMULATOR_HEADER_TIMEOUT_MS",
     "headers must arrive within this from their first byte (default 10000)"},
    {"--write-timeout-ms", "CSR_EMULATOR_WRITE_TIMEOUT_MS",
     "a client must take each write of an answer within this (default 30000); slower is cut off and logged"},
    {"--log-level", "CSR_EMULATOR_LOG_LEVEL", "debug, info, warn or error (default info)"},
    {"--api-token", "CSR_EMULATOR_API_TOKENS",
     "accept only these bearer tokens; TOKEN:ZONE[,ZONE...] limits one to those zones (repeatable; env: ';'-separated)"},
    {"--api-key", "CSR_EMULATOR_API_KEYS", "accept only these EMAIL:KEY pairs (repeatable; env: comma-separated)"},
    {"--key-pool", "CSR_EMULATOR_KEY_POOL", "RSA-2048 keys generated ahead of requests (default 4; 0 disables)"},
    {"--key-workers", "CSR_EMULATOR_KEY_WORKERS", "threads generating RSA keys (default: one per core)"},
    {"--ca-dir", "CSR_EMULATOR_CA_DIR", "directory with root.pem + root.key to use as the test CA root"},
    {"--key-encryption-key-file", "CSR_EMULATOR_KEY_ENCRYPTION_KEY_FILE",
     "file with a 32-byte key (64 hex digits or base64) encrypting private keys at rest (AES-256-GCM); "
     "or the key itself in CSR_EMULATOR_KEY_ENCRYPTION_KEY"},
    {"--trust-bundle", "CSR_EMULATOR_TRUST_BUNDLES", "extra PEM roots to trust (repeatable; env: comma-separated)"},
    {"--system-trust-bundle", "CSR_EMULATOR_SYSTEM_TRUST_BUNDLE",
     "system roots file (default /etc/ssl/certs/ca-certificates.crt; empty: none)"},
    {"--validation", "CSR_EMULATOR_VALIDATION",
     "how hostname statuses move: auto (one state per step, default), off (settled at creation), manual, "
     "or dns (real DNS/HTTP checks; needs --dns-server)"},
    {"--validation-step", "CSR_EMULATOR_VALIDATION_STEP",
     "ms per status step in auto mode, and per unchecked step in dns mode (default 250; 0: at once)"},
    {"--dns-server", "CSR_EMULATOR_DNS_SERVER", "dns mode: IP:PORT of the DNS server every check asks (required)"},
    {"--cname-target", "CSR_EMULATOR_CNAME_TARGET",
     "dns mode: what a hostname CNAMEs to to prove ownership (default: the zone's fallback origin)"},
    {"--validation-backoff-scale", "CSR_EMULATOR_VALIDATION_BACKOFF_SCALE",
     "dns mode: factor on Cloudflare's re-check schedule and 7-day limits (default 1; 0.001: minutes become ms)"},
    {"--validation-http-port", "CSR_EMULATOR_VALIDATION_HTTP_PORT",
     "dns mode: port the HTTP token checks connect to (default 80)"},
    {"--edge-listen", "CSR_EMULATOR_EDGE_LISTEN", "HOST:PORT for the TLS edge (default: off)"},
    {"--edge-http-listen", "CSR_EMULATOR_EDGE_HTTP_LISTEN", "HOST:PORT for the plain-HTTP edge (default: off)"},
    {"--edge-threads", "CSR_EMULATOR_EDGE_THREADS", "threads serving the edge listeners (default 2)"},
    {"--edge-origin-port", "CSR_EMULATOR_EDGE_ORIGIN_PORT", "port the edge connects to on origins (default 80)"},
    {"--edge-resolve", "CSR_EMULATOR_EDGE_RESOLVE",
     "HOST:IP the edge uses for an origin name (repeatable; env: comma-separated)"},
    {"--edge-connect-timeout", "CSR_EMULATOR_EDGE_CONNECT_TIMEOUT", "ms to connect to an origin before 522 (default 19000)"},
    {"--edge-read-timeout", "CSR_EMULATOR_EDGE_READ_TIMEOUT", "ms to wait for an origin's response before 524 (default 120000)"},
    {"--edge-unknown-sni-alert", "CSR_EMULATOR_EDGE_UNKNOWN_SNI_ALERT",
     "TLS alert for a name with no certificate: handshake_failure (default) or unrecognized_name"},
    {"--edge-always-https", "CSR_EMULATOR_EDGE_ALWAYS_HTTPS", "on: plain-HTTP edge redirects (301) to https; off (default): proxies"},
    {"--edge-max-connections", "CSR_EMULATOR_EDGE_MAX_CONNECTIONS",
     "visitor connections the edge holds open; at the limit the longest idle, then the oldest unfinished "
     "handshake, makes room (default 0: a quarter of the descriptors left after the reserve, at most 1024)"},
    {"--edge-max-body", "CSR_EMULATOR_EDGE_MAX_BODY",
     "bytes of a visitor's request body the edge forwards before answering 413 (default 104857600, Cloudflare's 100 MB)"},
    {"--seed", "CSR_EMULATOR_SEED", "ids, tokens and fault dice from this seed: same seed + same requests = same ids"},
    {"--clock-start", "CSR_EMULATOR_CLOCK_START", "start the emulator's clock at this RFC 3339 time (default: real time)"},
    {"--journal-size", "CSR_EMULATOR_JOURNAL_SIZE", "requests kept in the journal (default 1000)"},
    {"--journal-bytes", "CSR_EMULATOR_JOURNAL_BYTES",
     "bytes the journal's entries may hold together; oldest dropped beyond (default 67108864: 64 MiB)"},
    {"--journal-body-limit", "CSR_EMULATOR_JOURNAL_BODY_LIMIT",
     "bytes of each request and response body the journal keeps; the rest is cut and marked (default 65536)"},
    {"--rate-limit", "CSR_EMULATOR_RATE_LIMIT", "on: 429 / 971 beyond the quota per credential; off (default)"},
    {"--rate-limit-quota", "CSR_EMULATOR_RATE_LIMIT_QUOTA", "requests per window and credential (default 1200)"},
    {"--rate-limit-window", "CSR_EMULATOR_RATE_LIMIT_WINDOW", "rate limit window in seconds (default 300)"},
    {"--gateway-errors", "CSR_EMULATOR_GATEWAY_ERRORS",
     "current (default): bad ids 404 / 7003; legacy: 400 / 7003 + 7000"},
    {"--seed-file", "CSR_EMULATOR_SEED_FILE", "load this state document (GET /_emulator/state) before listening"},
    {"--hostname-quota", "CSR_EMULATOR_HOSTNAME_QUOTA", "custom hostnames per zone; more: 403 / 1405 (default 0: none)"},
    {"--certificate-quota", "CSR_EMULATOR_CERTIFICATE_QUOTA",
     "custom certificates per zone; more: 400 / 1212 (default 0: none)"},
    {"--control-token", "CSR_EMULATOR_CONTROL_TOKEN",
     "/_emulator/ routes (but health and ready) need Authorization: Bearer TOKEN; required to open them "
     "when --api-token/--api-key are set (default: none)"},
    {"--allowed-host", "CSR_EMULATOR_ALLOWED_HOSTS",
     "a Host name served besides IP addresses, localhost and the listen host, e.g. a compose service name "
     "(repeatable; env: comma-separated; * allows any: unsafe, opens DNS rebinding)"},
};

}  // namespace

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(const std::string& text) {
    std::string host;
    std::string port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty() || port.empty()) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return std::nullopt;
    return std::pair{host, static_cast<std::uint16_t>(value)};
}

std::string usage_text() {
    std::string text =
        "Usage: csr-emulator [OPTIONS]\n"
        "       csr-emulator ca sign --csr FILE [--days N] [--db PATH | --ca-dir DIR]\n"
        "       csr-emulator healthcheck [--listen HOST:PORT]\n\n"
        "An emulator of Cloudflare's Custom CSR, custom hostname and custom certificate APIs.\n\n"
        "Options (each also read from the environment variable shown; flags win):\n";
    for (const auto& s : settings) {
        std::string flag = s.flag;
        text += "  " + flag + std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') + s.help + "\n" +
                std::string(24, ' ') + "[" + s.env + "]\n";
    }
    text += "  --help                show this text\n  --version             print the version\n";
    return text;
}

const char* version_text() { return "csr-emulator " CSR_EMULATOR_VERSION; }

ParseOutcome parse_config(const std::vector<std::string>& args,
                          const std::function<std::optional<std::string>(const std::string&)>& env) {
    ParseOutcome outcome;
    Config config;
    try {
        for (const auto& s : settings)
            if (auto value = env(s.env)) apply(config, s.flag, *value, true);

        // Flags replace what the environment said for list settings, rather than add to it.
        bool tokens_from_flags = false, keys_from_flags = false, bundles_from_flags = false;
        bool resolve_from_flags = false, hosts_from_flags = false;
        for (std::size_t i = 0; i < args.size(); ++i) {
            std::string arg = args[i];
            if (arg == "--help" || arg == "-h") {
                outcome.output = usage_text();
                return outcome;
            }
            if (arg == "--version") {
                outcome.output = std::string(version_text()) + "\n";
                return outcome;
            }
            std::string flag = arg, value;
            bool has_value = false;
            if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
                flag = arg.substr(0, eq);
                value = arg.substr(eq + 1);
                has_value = true;
            }
            bool known = false;
            for (const auto& s : settings) known = known || flag == s.flag;
            if (!known) throw UsageError("unknown option '" + flag + "' (see --help)");
            if (!has_value) {
                if (i + 1 >= args.size()) throw UsageError(flag + ": missing value");
                value = args[++i];
            }
            if (flag == "--api-token" && !tokens_from_flags)
                config.api_tokens.clear(), config.token_scopes.clear(), tokens_from_flags = true;
            if (flag == "--api-key" && !keys_from_flags) config.api_keys.clear(), keys_from_flags = true;
            if (flag == "--trust-bundle" && !bundles_from_flags) config.trust_bundles.clear(), bundles_from_flags = true;
            if (flag == "--edge-resolve" && !resolve_from_flags) config.edge_resolve.clear(), resolve_from_flags = true;
            if (flag == "--allowed-host" && !hosts_from_flags) config.allowed_hosts.clear(), hosts_from_flags = true;
            apply(config, flag, value, false);
        }
        if (config.validation == "dns" && !config.dns_server)
            throw UsageError("--validation dns needs --dns-server IP:PORT (or CSR_EMULATOR_DNS_SERVER)");
        // The key itself only from the environment; a key file (flag or variable) wins.
        if (!config.key_encryption_key_file)
            if (auto key = env("CSR_EMULATOR_KEY_ENCRYPTION_KEY"); key && !key->empty()) config.key_encryption_key = *key;
    } catch (const UsageError& e) {
        outcome.exit_code = 2;
        outcome.output = std::string("csr-emulator: ") + e.what() + "\n";
        return outcome;
    }
    outcome.config = std::move(config);
    return outcome;
}

std::string Config::describe() const {
    std::string host = listen_host.find(':') != std::string::npos ? "[" + listen_host + "]" : listen_host;
    std::string text = "listen=" + host + ":" + std::to_string(listen_port) + " db=" + db_path +
                       " threads=" + std::to_string(threads) + " max_body=" + std::to_string(max_body) +
                       " max_header_bytes=" + std::to_string(max_header_bytes) +
                       " max_connections=" + (max_connections ? std::to_string(max_connections) : std::string("auto")) +
                       " idle_timeout_ms=" + std::to_string(idle_timeout_ms) +
                       " header_timeout_ms=" + std::to_string(header_timeout_ms) +
                       " write_timeout_ms=" + std::to_string(write_timeout_ms) +
                       " log_level=" + api::log_level_name(log_level) + " key_pool=" + std::to_string(key_pool) +
                       " key_workers=" + std::to_string(key_workers);
    text += " validation=" + validation + " validation_step=" + std::to_string(validation_step_ms);
    if (validation == "dns") {
        text += " dns_server=" + (dns_server ? dns_server->first + ":" + std::to_string(dns_server->second) : "none") +
                " cname_target=" + (cname_target.empty() ? std::string("fallback-origin") : cname_target) +
                " validation_backoff_scale=" + std::to_string(validation_backoff_scale) +
                " validation_http_port=" + std::to_string(validation_http_port);
    }
    // Credentials are counted, never printed.
    text += " auth=" + std::string(api_tokens.empty() && api_keys.empty() ? "any-credential" : "strict");
    text += " api_tokens=" + std::to_string(api_tokens.size()) + " api_keys=" + std::to_string(api_keys.size());
    if (ca_dir) text += " ca_dir=" + *ca_dir;
    // Whether keys are encrypted, never the key.
    text += std::string(" key_encryption=") +
            (key_encryption_key_file ? "file:" + *key_encryption_key_file : key_encryption_key ? "environment" : "off");
    for (const auto& bundle : trust_bundles) text += " trust_bundle=" + bundle;
    text += " system_trust_bundle=" + (system_trust_bundle.empty() ? std::string("none") : system_trust_bundle);
    auto address = [](const auto& hp) { return hp ? hp->first + ":" + std::to_string(hp->second) : std::string("off"); };
    text += " edge_listen=" + address(edge_listen) + " edge_http_listen=" + address(edge_http_listen);
    if (edge_listen || edge_http_listen) {
        text += " edge_threads=" + std::to_string(edge_threads) + " edge_origin_port=" + std::to_string(edge_origin_port) +
                " edge_connect_timeout=" + std::to_string(edge_connect_timeout_ms) +
                " edge_read_timeout=" + std::to_string(edge_read_timeout_ms) +
                " edge_unknown_sni_alert=" + edge_unknown_sni_alert +
                " edge_always_https=" + (edge_always_https ? "on" : "off") + " edge_max_connections=" +
                (edge_max_connections ? std::to_string(edge_max_connections) : std::string("auto")) +
                " edge_max_body=" + std::to_string(edge_max_body);
        for (const auto& [host, ip] : edge_resolve) text += " edge_resolve=" + host + ":" + ip;
    }
    text += " seed=" + (seed ? std::to_string(*seed) : std::string("random")) +
            " clock_start=" + clock_start.value_or("now") + " journal_size=" + std::to_string(journal_size) +
            " rate_limit=" + (rate_limit ? "on" : "off") + " rate_limit_quota=" + std::to_string(rate_limit_quota) +
            " rate_limit_window=" + std::to_string(rate_limit_window_seconds) + " gateway_errors=" + gateway_errors +
            " token_scopes=" + std::to_string(token_scopes.size());
    text += " journal_bytes=" + std::to_string(journal_bytes) + " journal_body_limit=" + std::to_string(journal_body_limit);
    if (seed_file) text += " seed_file=" + *seed_file;
    // Whether a control token is set, never the token.
    text += std::string(" control_token=") + (control_token ? "set" : "none") + " allowed_hosts=";
    for (std::size_t i = 0; i < allowed_hosts.size(); ++i) text += (i ? "," : "") + allowed_hosts[i];
    if (allowed_hosts.empty()) text += "none";
    text += " hostname_quota=" + (hostname_quota ? std::to_string(*hostname_quota) : std::string("none")) +
            " certificate_quota=" + (certificate_quota ? std::to_string(*certificate_quota) : std::string("none"));
    return text;
}

}  // namespace server
