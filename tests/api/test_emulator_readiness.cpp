// GET /_emulator/ready through Service: no credentials, emulator surface only.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/key_pool.hpp"
#include "api/service.hpp"
#include "storage/database.hpp"

TEST_CASE("GET /_emulator/ready: 200 once the database answers, no credentials needed") {
    storage::Database db(":memory:");
    api::KeyPool keys(0, 1);
    api::Context context(db, keys);
    api::Service service(context);
    auto call = [&](std::string path) {
        api::Request request;
        request.method = "GET";
        request.path = std::move(path);
        return service.handle_and_wait(std::move(request));
    };
    auto ready = call("/_emulator/ready");
    CHECK(ready.status == 200);
    CHECK(nlohmann::json::parse(ready.body)["ready"] == true);
    CHECK(call("/client/v4/_emulator/ready").status == 404);
}
