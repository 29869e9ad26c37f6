#pragma once
// Everything a handler needs besides the request: storage, crypto services, the clock, the id
// source, the auth policy and the log. Time and ids come from here so tests can pin them.
#include <functional>
#include <string>

#include "api/auth.hpp"
#include "api/clock.hpp"
#include "api/key_pool.hpp"
#include "api/log.hpp"
#include "storage/csr_repository.hpp"

namespace storage {
class Database;
}

namespace api {

struct Context {
    storage::Database& db;
    KeyPool& keys;
    storage::CsrRepository csrs;
    AuthPolicy auth;
    std::function<TimePoint()> now;
    std::function<std::string()> new_id;
    LogSink log;

    Context(storage::Database& database, KeyPool& key_pool);
};

}  // namespace api
