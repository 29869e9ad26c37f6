#include "api/context.hpp"

#include <chrono>
#include <thread>

#include "crypto/random.hpp"

namespace api {

Context::Context(storage::Database& database, KeyPool& key_pool)
    : db(database),
      keys(key_pool),
      csrs(database),
      hostnames(database),
      certificates(database),
      trust(std::make_shared<crypto::TrustStore>()),
      now([] { return std::chrono::system_clock::now(); }),
      new_id([] { return crypto::random_uuid(); }),
      after([](std::chrono::milliseconds delay, std::function<void()> then) {
          std::thread([delay, then = std::move(then)] {
              std::this_thread::sleep_for(delay);
              then();
          }).detach();
      }),
      log([](LogLevel, std::string_view, const LogFields&) {}) {}

}  // namespace api
