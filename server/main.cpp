// csr-emulator: parse the configuration, open the database, wire api/ to the HTTP server, and
// print the one "listening on" line scripts wait for.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/api_tls_identity.hpp"
#include "api/emulator/control_plane.hpp"
#include "api/emulator/state_document.hpp"
#include "api/errors.hpp"
#include "api/json_body.hpp"
#include "api/key_pool.hpp"
#include "api/service.hpp"
#include "api/time_text.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/library_setup.hpp"
#include "server/commands.hpp"
#include "server/config.hpp"
#include "server/descriptor_limit.hpp"
#include "server/edge/edge_server.hpp"
#include "server/http_server.hpp"
#include "server/key_encryption_setup.hpp"
#include "server/logger.hpp"
#include "server/dns_client.hpp"
#include "server/http_probe.hpp"
#include "server/settler.hpp"
#include "server/notification_worker.hpp"
#include "server/webhook_sender.hpp"
#include "server/emulator_ca_setup.hpp"
#include "server/heap_tuning.hpp"
#include "storage/database.hpp"
#include "storage/state_repository.hpp"

namespace {

std::optional<std::string> from_environment(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
}

api::emulator::ControlPlaneSettings control_settings(const server::Config& config) {
    api::emulator::ControlPlaneSettings settings;
    settings.seed = config.seed;
    if (config.clock_start) settings.start_time = api::parse_rfc3339(*config.clock_start);
    settings.journal_capacity = config.journal_size;
    settings.journal_bytes = config.journal_bytes;
    settings.journal_body_limit = config.journal_body_limit;
    settings.rate_limit.enabled = config.rate_limit;
    settings.rate_limit.quota = config.rate_limit_quota;
    settings.rate_limit.window = std::chrono::seconds(config.rate_limit_window_seconds);
    settings.gateway_style =
        config.gateway_errors == "legacy" ? api::emulator::GatewayStyle::legacy : api::emulator::GatewayStyle::current;
    settings.access.control_token = config.control_token;
    settings.access.allowed_hosts = config.allowed_hosts;
    settings.access.listen_host = config.listen_host;
    // Through the TLS listener clients call the API by Cloudflare's own name.
    if (config.api_tls_listen) settings.access.allowed_hosts.emplace_back(api::emulator::api_host_name);
    return settings;
}

// --seed-file: the whole state from a document, before the first request. All or nothing: any
// problem names its JSON pointer and the server does not start.
bool load_seed_file(const std::string& path, storage::Database& db) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::cerr << "csr-emulator: --seed-file " << path << ": cannot read the file\n";
        return false;
    }
    std::stringstream text;
    text << file.rdbuf();
    if (api::nesting_depth(text.view()) > api::max_body_depth) {
        std::cerr << "csr-emulator: --seed-file " << path << ": (document): nested deeper than "
                  << api::max_body_depth << " levels\n";
        return false;
    }
    auto document = nlohmann::json::parse(text.str(), nullptr, false);
    if (document.is_discarded()) {
        std::cerr << "csr-emulator: --seed-file " << path << ": (document): the file is not JSON\n";
        return false;
    }
    // A saved GET /_emulator/state answer (envelope and all) seeds too.
    if (document.is_object() && document.contains("result") && document.contains("success"))
        document = document["result"];
    try {
        storage::StateRepository state(db);
        auto rows = api::emulator::read_state_document(document, state.schema(), state.schema_version());
        state.import_state(rows);
    } catch (const api::ApiError& e) {
        std::string message = e.errors().empty() ? e.what() : e.errors().front().message;
        std::cerr << "csr-emulator: --seed-file " << path << ": " << message << "\n";
        return false;
    } catch (const std::exception& e) {
        std::cerr << "csr-emulator: --seed-file " << path << ": (document): " << e.what() << "\n";
        return false;
    }
    return true;
}

// Milliseconds each start-up step took, logged at debug level once the server listens: where
// the time to the listening line goes.
class StartupSteps {
public:
    void done(const char* step) {
        auto now = std::chrono::steady_clock::now();
        fields_.emplace_back(step, std::to_string(std::chrono::duration<double, std::milli>(now - last_).count()));
        last_ = now;
    }
    const api::LogFields& fields() const { return fields_; }

private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
    api::LogFields fields_;
};

int serve(const server::Config& config) {
    StartupSteps steps;
    server::Logger logger(config.log_level);
    logger.log(api::LogLevel::info, "config", {{"settings", config.describe()}});

    if (config.db_path != ":memory:") {
        auto parent = std::filesystem::path(config.db_path).parent_path();
        std::error_code ec;
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    }
    // The other core, while this one opens the database: OpenSSL's one-time set-up and, for a
    // database file that does not exist yet, the test CA it will store (a new file has none);
    // together a fifth of a new database's start-up on this thread (perf). The file is checked
    // before SQLite creates it; if it appears meanwhile, its own CA wins and this one is dropped.
    const bool new_database_file = config.db_path != ":memory:" && !config.db_path.empty() &&
                                   !std::filesystem::exists(config.db_path) && !config.ca_dir;
    auto ca_ahead = std::async(std::launch::async, [new_database_file]() -> std::optional<crypto::CaMaterial> {
        crypto::prepare_library();
        if (!new_database_file) return std::nullopt;
        try {
            return crypto::create_emulator_ca(
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
        } catch (const std::exception&) {
            return std::nullopt;  // made again on the main thread, where an error is reported
        }
    });
    std::optional<storage::Database> db;
    try {
        db.emplace(config.db_path);
    } catch (const std::exception& e) {
        std::cerr << "csr-emulator: " << e.what() << "\n";
        return 1;
    }
    steps.done("database_ms");

    // Before anything reads a key: a wrong key, or none for an encrypted database, is refused here.
    try {
        int sealed = server::setup_key_encryption(config, *db);
        if (sealed > 0) logger.log(api::LogLevel::info, "keys_encrypted", {{"count", std::to_string(sealed)}});
    } catch (const server::KeySetupError& e) {
        std::cerr << "csr-emulator: " << e.what() << "\n";
        return 1;
    }
    steps.done("key_encryption_ms");

    // Key workers start after the listening line: RSA generation would compete for the cores.
    api::KeyPool keys(config.key_pool, config.key_workers, false);
    api::Context context(*db, keys);
    context.log = logger.sink();
    context.auth.api_tokens = config.api_tokens;
    context.auth.api_keys = config.api_keys;
    context.auth.service_keys = config.origin_ca_keys;
    context.auth.service_keys_refused = config.service_keys == "refuse";
    context.validation.enabled = config.validation != "off";
    if (context.validation.enabled) context.validation.mode = *api::lifecycle::parse_mode(config.validation);
    context.validation.step = std::chrono::milliseconds(config.validation_step_ms);
    context.validation.backoff_scale = config.validation_backoff_scale;
    context.validation.cname_target = config.cname_target;
    // dns mode's probes: their own threads, so no socket thread waits on a lookup.
    std::optional<server::DnsClient> dns;
    std::optional<server::HttpProbe> http_probe;
    if (config.validation == "dns") {
        try {
            dns.emplace(server::DnsClientOptions{.server = config.dns_server->first, .port = config.dns_server->second});
        } catch (const std::exception& e) {
            std::cerr << "csr-emulator: --dns-server: " << e.what() << "\n";
            return 1;
        }
        http_probe.emplace(*dns, server::HttpProbeOptions{.default_port = config.validation_http_port});
    }
    try {
        context.emulator_ca = server::load_emulator_ca(config, *db, ca_ahead.get());
        steps.done("test_ca_ms");
        context.trust = server::load_trust_store(config, context.emulator_ca);
        steps.done("trust_store_ms");
        // Made or loaded on a thread of its own when a request first needs them (its errors reach
        // that request).
        context.origin_ca.start([&database = *db] { return server::load_origin_ca(database); });
    } catch (const server::SetupError& e) {
        std::cerr << "csr-emulator: " << e.what() << "\n";
        return 1;
    }
    if (config.seed_file && !load_seed_file(*config.seed_file, *db)) return 1;
    context.hostname_quota = config.hostname_quota;
    context.certificate_quota = config.certificate_quota;
    api::emulator::ControlPlane control(control_settings(config));
    for (const auto& [token, zones] : config.token_scopes)
        control.token_scopes.add({token, std::set<std::string>(zones.begin(), zones.end())});
    api::emulator::attach(control, context);
    context.zone_settings.activation = std::chrono::seconds(config.zone_activation_seconds);
    for (const auto& [name, id] : config.zones)
        context.zone_settings.configured.push_back({name, id.empty() ? std::nullopt : std::optional(id)});
    for (const auto& name : api::ensure_configured_zones(context)) {
        std::cerr << "csr-emulator: --zone " << name << ": its id belongs to another zone\n";
        return 1;
    }
    api::Service service(context, control);
    steps.done("api_ms");

    server::HttpSettings settings;
    settings.threads = config.threads;
    settings.max_body = config.max_body;
    settings.max_header_bytes = config.max_header_bytes;
    settings.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
    settings.header_timeout = std::chrono::milliseconds(config.header_timeout_ms);
    settings.write_timeout = std::chrono::milliseconds(config.write_timeout_ms);
    settings.shutdown_grace = std::chrono::milliseconds(config.shutdown_grace_ms);
    // With the edge on, the API's connections get half of the descriptors, the edge the other.
    auto connections = server::connection_limit(config.max_connections, config.edge_listen || config.edge_http_listen);
    settings.max_connections = connections.limit;
    logger.log(api::LogLevel::info, "connection_limit",
               {{"max_connections", std::to_string(connections.limit)},
                {"nofile", connections.nofile ? std::to_string(connections.nofile) : std::string("unlimited")}});
    std::optional<server::HttpServer> http;
    try {
        http.emplace(config.listen_host, config.listen_port, settings, service, logger);
    } catch (const server::BindError& e) {
        std::cerr << "csr-emulator: " << e.what() << "\n";
        return 1;
    }
    if (config.api_tls_listen) {
        try {
            auto identity = api::emulator::api_tls_identity(context.emulator_ca, context.now());
            http->listen_tls(config.api_tls_listen->first, config.api_tls_listen->second, identity.chain_pem,
                             identity.private_key_pem);
        } catch (const std::exception& e) {
            std::cerr << "csr-emulator: --api-tls-listen: " << e.what() << "\n";
            return 1;
        }
        // Before the API's line, so a script that waits for that one knows this port too.
        std::printf("csr-emulator API over TLS listening on %s\n", http->tls_url().c_str());
    }
    // Fault delays wait on the API's io_context, never on a thread that serves sockets.
    context.after = [&http](std::chrono::milliseconds delay, std::function<void()> then) {
        http->after(delay, std::move(then));
    };
    std::optional<server::EdgeServer> edge;
    if (config.edge_listen || config.edge_http_listen) {
        try {
            auto edge_settings = server::edge_settings(config);
            edge_settings.now = [&context] { return context.now(); };  // expiry on the emulator's clock
            edge.emplace(edge_settings, *db, logger);
        } catch (const server::BindError& e) {
            std::cerr << "csr-emulator: " << e.what() << "\n";
            return 1;
        }
        // Before the API's line, so a script that waits for that one knows the edge ports too.
        if (!edge->tls_url().empty()) std::printf("csr-emulator edge listening on %s\n", edge->tls_url().c_str());
        if (!edge->http_url().empty()) std::printf("csr-emulator edge listening on %s\n", edge->http_url().c_str());
        edge->start();
    }
    // The background settler: auto mode's steps and dns mode's checks happen without an API read,
    // and in every mode certificates renew and expire on the clock (the edge stops serving an
    // expired one without waiting for a read).
    std::optional<server::Settler> settler;
    {
        settler.emplace(context, dns ? &*dns : nullptr, http_probe ? &*http_probe : nullptr,
                          server::SettlerSettings{.tick = server::settler_tick(context.validation.step)});
        context.validation.wake = [&settler] { settler->wake(); };
        settler->start();
    }
    // Webhook notifications: a sender and a worker of their own draining the outbox.
    context.notifications->settings = {config.account_id, std::chrono::milliseconds(config.notification_timeout_ms),
                                       std::chrono::milliseconds(config.notification_retry_ms),
                                       std::chrono::minutes(5), static_cast<int>(config.notification_max_attempts)};
    std::optional<server::WebhookSender> webhooks(std::in_place);
    context.notifications->sender = &*webhooks;
    std::optional<server::NotificationWorker> notifier(std::in_place, context);
    context.notifications->wake = [&notifier] { notifier->wake(); };
    notifier->start();
    steps.done("listeners_and_workers_ms");
    std::printf("csr-emulator listening on %s\n", http->url().c_str());
    std::fflush(stdout);
    logger.log(api::LogLevel::debug, "startup", steps.fields());
    keys.start();
    // The system roots load here, off the start-up path (uploads wait for them if first).
    std::thread trust_loader([&] {
        try {
            logger.log(api::LogLevel::info, "trust_store", {{"roots", std::to_string(context.trust->size())}});
        } catch (const std::exception& e) {
            logger.log(api::LogLevel::error, "trust_store", {{"error", e.what()}});
        }
    });
    http->run();
    trust_loader.join();
    // The edge first: its loops and the connections suspended on them use the database and the
    // logger, which go after it (declared before it; stop() destroys those connections).
    edge.reset();
    // Before the probes go: their last answers ("failed" on destruction) are not applied.
    if (settler) settler->stop();
    notifier->stop();  // answers still coming are not recorded: those deliveries go again next start
    context.notifications->wake = [] {};
    context.notifications->sender = nullptr;
    webhooks.reset();
    notifier.reset();
    http_probe.reset();
    dns.reset();
    keys.stop();  // before the io_context goes: queued key callbacks hold work on it
    context.origin_ca.stop();  // likewise the requests waiting for the Origin CA's roots
    http.reset();  // the last sessions (a client that never read, say) go with the server
    logger.log(api::LogLevel::info, "stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "healthcheck") return server::run_healthcheck({args.begin() + 1, args.end()});
    if (!args.empty() && args.front() == "ca") return server::run_ca_command({args.begin() + 1, args.end()}, from_environment);
    auto outcome = server::parse_config(args, from_environment);
    if (!outcome.config) {
        std::fputs(outcome.output.c_str(), outcome.exit_code == 0 ? stdout : stderr);
        return outcome.exit_code;
    }
    server::keep_freed_heap_memory();  // before any thread starts
    return serve(*outcome.config);
}
