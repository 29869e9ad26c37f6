#pragma once
// Everything a handler needs besides the request: storage, crypto services, the clock, the id
// source, the auth policy and the log. Time and ids come from here so tests can pin them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/auth.hpp"
#include "api/delayed_runner.hpp"
#include "api/custom_hostnames/validation_settings.hpp"
#include "api/time_text.hpp"
#include "api/key_pool.hpp"
#include "api/log.hpp"
#include "api/notifications/notifications.hpp"
#include "crypto/certificate.hpp"
#include "crypto/emulator_ca.hpp"
#include "storage/certificate_repository.hpp"
#include "storage/csr_repository.hpp"
#include "storage/fallback_origin_repository.hpp"
#include "storage/hostname_repository.hpp"
#include "storage/zone_repository.hpp"
#include "storage/origin_ca_repository.hpp"
#include "api/origin_ca/roots.hpp"
#include "api/zones/zone_settings.hpp"
#include "storage/alerting_repository.hpp"
#include "storage/certificate_pack_repository.hpp"
#include "storage/notification_outbox.hpp"

namespace storage {
class Database;
}

namespace api {

struct Context {
    storage::Database& db;  // for whole-state work (reset, snapshot, seed, readiness)
    KeyPool& keys;
    storage::CsrRepository csrs;
    storage::HostnameRepository hostnames;
    storage::CertificateRepository certificates;
    storage::FallbackOriginRepository fallback_origins;
    storage::ZoneRepository zones;
    storage::OriginCaRepository origin_certificates;
    storage::AlertingRepository alerting;  // webhook destinations and notification policies
    storage::NotificationOutbox outbox;    // certificate events and their deliveries
    storage::CertificatePackRepository certificate_packs;
    crypto::CaMaterial emulator_ca;                   // signs CSRs for /_emulator/ca/sign
    OriginCaRootsSource origin_ca;                    // signs POST /certificates (made from start)
    std::shared_ptr<const crypto::TrustStore> trust;  // roots uploads must chain to
    AuthPolicy auth;
    std::function<TimePoint()> now;
    std::function<std::string()> new_id;
    // Runs `then` after `delay` without holding the calling thread (a fault rule's delay). The
    // server sets a timer on its io_context; the default, for tests without a server, is the
    // context's own DelayedRunner (one thread, joined with the context). Never sleeps on a
    // thread that serves sockets.
    std::function<void(std::chrono::milliseconds delay, std::function<void()> then)> after;
    // Optional quotas (off unless set): custom hostnames per zone (403 / 1405 beyond it) and
    // custom certificates per zone (1212).
    std::optional<std::int64_t> hostname_quota, certificate_quota;
    LogSink log;
    ValidationSettings validation;
    ZoneSettings zone_settings;
    // Notifications' settings, sender, fault rules; every hostname write fires its events here.
    std::shared_ptr<notifications::Notifications> notifications = std::make_shared<notifications::Notifications>();

    Context(storage::Database& database, KeyPool& key_pool);

private:
    // Declared last: destroyed first, so no delayed task outlives what it may use.
    std::unique_ptr<DelayedRunner> delayed_ = std::make_unique<DelayedRunner>();
};

}  // namespace api
