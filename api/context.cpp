#include "api/context.hpp"

#include "api/notifications/certificate_events.hpp"
#include "crypto/random.hpp"

namespace api {

Context::Context(storage::Database& database, KeyPool& key_pool)
    : db(database),
      keys(key_pool),
      csrs(database),
      hostnames(database),
      certificates(database),
      fallback_origins(database),
      zones(database),
      origin_certificates(database),
      alerting(database),
      outbox(database),
      certificate_packs(database),
      trust(std::make_shared<crypto::TrustStore>()),
      now([] { return std::chrono::system_clock::now(); }),
      new_id([] { return crypto::random_uuid(); }),
      after([this](std::chrono::milliseconds delay, std::function<void()> then) {
          delayed_->run_after(delay, std::move(then));
      }),
      log([](LogLevel, std::string_view, const LogFields&) {}) {
    notifications::watch_hostnames(*this);
    notifications::watch_certificate_packs(*this);
}

}  // namespace api
