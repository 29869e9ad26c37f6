#pragma once
// The in-process emulator the HTTP and route fuzzers drive: the real Service (routing, auth,
// every handler) over an in-memory SQLite database, with a fixed clock, ids from a counter, one
// RSA key made once (so RSA creates cost a signature, not a key generation), and the emulator
// CA made once. Every input starts from the same state (a CSR, a custom hostname and a custom
// certificate, put back through PUT /_emulator/state), so a crash replays from its input alone.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/control_plane.hpp"
#include "api/emulator/emulator_ca.hpp"
#include "api/key_pool.hpp"
#include "api/service.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/keys.hpp"
#include "storage/database.hpp"

namespace fuzz {

// 2026-11-30T00:00:00Z: the clock every input sees (the seed PEMs are valid then).
inline constexpr std::int64_t fixed_now = 1796083200;
inline constexpr const char* zone = "023e105f4ecef8ad9ca31a8372d0c353";
inline constexpr const char* account = "01a7362d577a6c3019a474fd6f485823";

class Harness {
public:
    Harness()
        : keys_(crypto::generate_private_key(crypto::KeyType::rsa2048)), context_(db_, keys_), control_(control_settings()),
          service_(context_, control_) {
        context_.now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(fixed_now)); };
        context_.new_id = [this] {
            char id[40];
            std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx", ++next_id_);
            return std::string(id);
        };
        // An unhandled exception inside a handler becomes a 500 for the client, but it is a bug:
        // stop the fuzzer on it.
        context_.log = [](api::LogLevel level, std::string_view event, const api::LogFields& fields) {
            if (level < api::LogLevel::error) return;
            std::fprintf(stderr, "fuzz: error log %.*s", static_cast<int>(event.size()), event.data());
            for (const auto& [k, v] : fields) std::fprintf(stderr, " %s=%s", k.c_str(), v.c_str());
            std::fprintf(stderr, "\n");
            std::abort();
        };
        context_.emulator_ca = crypto::create_emulator_ca(fixed_now - 86400);
        context_.trust = std::make_shared<crypto::TrustStore>(api::build_trust_store(context_.emulator_ca, "", {}));
        seed_state();
    }

    // Puts the starting state back; ids restart so every input sees the same ones. The restore
    // (every table rewritten) is skipped when the last input wrote nothing: most inputs are
    // refused, and restoring an unchanged state costs ten times the request itself.
    void reset() {
        next_id_ = 100;
        if (db_.total_changes() == changes_at_reset_) return;
        auto response = call("PUT", "/_emulator/state", "", state_, {{"Content-Type", "application/json"}});
        if (response.status != 200) fail("state restore", response);
        changes_at_reset_ = db_.total_changes();
    }

    api::Response call(std::string method, std::string path, std::string query, std::string body,
                       api::HeaderList headers = {{"Authorization", "Bearer fuzz"}}) {
        api::Request request;
        request.method = std::move(method);
        request.path = std::move(path);
        request.query = std::move(query);
        request.body = std::move(body);
        request.headers = std::move(headers);
        request.request_id = "fuzz";
        return handle(std::move(request));
    }

    // Service::handle with a completion; waits for it (a handler may answer from another thread).
    api::Response handle(api::Request request) {
        auto promise = std::make_shared<std::promise<api::Response>>();
        auto answer = promise->get_future();
        service_.handle(std::move(request), [promise](api::Response response) { promise->set_value(std::move(response)); });
        return answer.get();
    }

    api::Context& context() { return context_; }

    // The seeded objects' ids.
    std::string csr_id, hostname_id, certificate_id;

private:
    // A one-entry journal: every request still goes through it, but it does not grow input after
    // input (libFuzzer runs a full leak scan after any input that allocates more than it frees,
    // which a filling journal made of every input: 5,000 -> 130 executions per second).
    static api::emulator::ControlPlaneSettings control_settings() {
        api::emulator::ControlPlaneSettings settings;
        settings.journal_capacity = 1;
        return settings;
    }

    [[noreturn]] static void fail(const char* what, const api::Response& response) {
        std::fprintf(stderr, "fuzz: %s failed: %d %s\n", what, response.status, response.body.c_str());
        std::abort();
    }

    void seed_state() {
        std::string base = std::string("/zones/") + zone;
        auto csr = call("POST", base + "/custom_csrs", "",
                        R"({"country":"US","state":"MA","locality":"Boston","organization":"Acme",)"
                        R"("common_name":"app.acme.io","sans":["app.acme.io","www.acme.io"],"key_type":"p256v1"})");
        if (csr.status != 201) fail("seed CSR", csr);
        auto csr_json = nlohmann::json::parse(csr.body)["result"];
        auto chain = crypto::sign_csr(context_.emulator_ca, csr_json["csr"].get<std::string>(),
                                      {fixed_now - 3600, fixed_now + 90 * 86400, "sha256"});
        nlohmann::json hostname = {{"hostname", "app.acme.io"},
                                   {"ssl", {{"custom_csr_id", csr_json["id"]}, {"custom_certificate", chain}}}};
        auto created = call("POST", base + "/custom_hostnames", "", hostname.dump());
        if (created.status != 201) fail("seed hostname", created);
        hostname_id = nlohmann::json::parse(created.body)["result"]["id"].get<std::string>();
        csr_id = csr_json["id"].get<std::string>();
        nlohmann::json certificate = {{"certificate", chain}, {"custom_csr_id", csr_json["id"]}};
        auto uploaded = call("POST", base + "/custom_certificates", "", certificate.dump());
        if (uploaded.status != 200) fail("seed certificate", uploaded);
        certificate_id = nlohmann::json::parse(uploaded.body)["result"]["id"].get<std::string>();
        auto state = call("GET", "/_emulator/state", "include_private_keys=true", "");
        if (state.status != 200) fail("state snapshot", state);
        state_ = nlohmann::json::parse(state.body)["result"].dump();
    }

    storage::Database db_{":memory:"};
    api::KeyPool keys_;
    api::Context context_;
    api::emulator::ControlPlane control_;
    api::Service service_;
    unsigned long long next_id_ = 0;
    std::string state_;
    std::int64_t changes_at_reset_ = -1;  // the first reset always restores
};

}  // namespace fuzz
