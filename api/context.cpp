#include "api/context.hpp"

#include <chrono>

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
      log([](LogLevel, std::string_view, const LogFields&) {}) {}

}  // namespace api
