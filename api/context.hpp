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
#include "api/custom_hostnames/lifecycle.hpp"
#include "api/time_format.hpp"
#include "api/key_pool.hpp"
#include "api/log.hpp"
#include "crypto/certificate.hpp"
#include "crypto/emulator_ca.hpp"
#include "storage/certificate_repository.hpp"
#include "storage/csr_repository.hpp"
#include "storage/hostname_repository.hpp"

namespace storage {
class Database;
}

namespace api {

// How custom hostname statuses move (--validation and its companions).
struct ValidationSettings {
    // Off (the default until every suite polls for `active`): statuses settle at creation as
    // before the lifecycle (uploaded certificates active, DV certificates pending_validation).
    bool enabled = false;
    lifecycle::Mode mode = lifecycle::Mode::automatic;
    lifecycle::Duration step = lifecycle::default_step;
    double backoff_scale = 1.0;  // dns mode: retry delays and the moved lifetime are multiplied by it
    std::string cname_target;    // dns mode: what hostnames must CNAME to (--cname-target); empty: the zone's fallback origin
    // Asks the background settler to look now (an edit made a check due); empty without one.
    std::function<void()> wake;
};

struct Context {
    storage::Database& db;  // for whole-state work (reset, snapshot, seed, readiness)
    KeyPool& keys;
    storage::CsrRepository csrs;
    storage::HostnameRepository hostnames;
    storage::CertificateRepository certificates;
    crypto::CaMaterial emulator_ca;                   // signs CSRs for /_emulator/ca/sign
    std::shared_ptr<const crypto::TrustStore> trust;  // roots uploads must chain to
    AuthPolicy auth;
    std::function<TimePoint()> now;
    std::function<std::string()> new_id;
    // Runs `then` after `delay` without holding the calling thread (a fault rule's delay). The
    // server sets a timer on its io_context; the default, for tests without a server, waits on
    // a thread of its own. Never sleeps on a thread that serves sockets.
    std::function<void(std::chrono::milliseconds delay, std::function<void()> then)> after;
    // Optional quotas (off unless set): custom hostnames per zone (403 / 1405 beyond it) and
    // custom certificates per zone (1212).
    std::optional<std::int64_t> hostname_quota, certificate_quota;
    LogSink log;
    ValidationSettings validation;

    Context(storage::Database& database, KeyPool& key_pool);
};

}  // namespace api
