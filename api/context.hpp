#pragma once
// Everything a handler needs besides the request: storage, crypto services, the clock, the id
// source, the auth policy and the log. Time and ids come from here so tests can pin them.
#include <functional>
#include <memory>
#include <string>

#include "api/auth.hpp"
#include "api/clock.hpp"
#include "api/log.hpp"

namespace storage {
class Database;
}

namespace api {

struct Context {
    storage::Database& db;
    AuthPolicy auth;
    std::function<TimePoint()> now;
    std::function<std::string()> new_id;
    LogSink log;

    explicit Context(storage::Database& database);
};

}  // namespace api
