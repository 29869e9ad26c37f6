// The zone's fallback origin per --validation mode, on a pinned clock: in auto mode the
// background settler (driven here as server/settler drives it) stores it active
// --validation-step after the PUT without any API read, so the edge, which reads the stored
// status, sends traffic to it; off settles it in the request; manual waits for the emulator's
// advance route; dns mode deletes it by the step as well.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/settler_tasks.hpp"
#include "api/custom_hostnames/fallback_origin.hpp"
#include "storage/edge_repository.hpp"
#include "storage/fallback_origin_repository.hpp"
#include "support/service_fixture.hpp"

using namespace api;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

struct OriginApi : test_support::ServiceFixture {
    TimePoint clock = TimePoint{} + std::chrono::hours(500'000);
    const std::string zone = "023e105f4ecef8ad9ca31a8372d0c353";
    const std::string path = "/client/v4/zones/" + zone + "/custom_hostnames/fallback_origin";
    const std::string advance_path = "/_emulator/zones/" + zone + "/custom_hostnames/fallback_origin/advance";

    // --validation off unless a mode is given.
    explicit OriginApi(std::optional<lifecycle::Mode> mode, milliseconds step = lifecycle::default_step) {
        context.now = [this] { return clock; };
        context.validation.enabled = mode.has_value();
        if (mode) context.validation.mode = *mode;
        context.validation.step = step;
    }
    json result(const api::Response& r, int status = 200) {
        INFO(r.body);
        REQUIRE(r.status == status);
        return json::parse(r.body)["result"];
    }
    json put(const std::string& origin) { return result(call("PUT", path, json{{"origin", origin}}.dump())); }
    json get() { return result(call("GET", path)); }
    json del() { return result(call("DELETE", path)); }
    json advance() { return result(call("POST", advance_path, "", {})); }

    // One settler tick, as server/settler runs it; returns how many it settled.
    int tick() {
        auto due = fallback_origins_to_settle(context, 1000);
        for (const auto& z : due) settle_fallback_origin_of(context, z);
        return static_cast<int>(due.size());
    }
    // What is stored, read without the API (whose reads settle): the settler's work alone.
    std::optional<std::string> stored_status() {
        storage::FallbackOriginRepository repo(db);
        auto row = repo.find(zone);
        return row ? std::optional<std::string>(row->status) : std::nullopt;
    }
    // Where the edge sends a hostname of the zone without custom_origin_server.
    std::optional<std::string> edge_origin() {
        storage::EdgeRepository edge(db);
        return edge.fallback_origin(zone);
    }
};

int error_code(const api::Response& r) { return json::parse(r.body)["errors"][0]["code"].get<int>(); }

}  // namespace

TEST_SUITE_BEGIN("fallback_origin_lifecycle");

TEST_CASE("auto mode: the settler activates a fallback origin a step after the PUT, with no API read") {
    OriginApi api(lifecycle::Mode::automatic, milliseconds(100));
    auto put = api.put("fallback.saas.io");
    CHECK(put["status"] == "pending_deployment");
    CHECK(api.edge_origin() == std::nullopt);  // not deployed yet: the edge answers 1016

    api.clock += milliseconds(99);
    CHECK(api.tick() == 0);
    CHECK(api.stored_status() == "pending_deployment");

    api.clock += milliseconds(1);
    CHECK(api.tick() == 1);
    CHECK(api.stored_status() == "active");
    CHECK(api.edge_origin() == std::optional<std::string>("fallback.saas.io"));
    CHECK(api.tick() == 0);  // nothing left to settle

    // Dated when it was due, as a read would have dated it.
    auto shown = api.get();
    CHECK(shown["status"] == "active");
    CHECK(shown["updated_at"] == rfc3339_micros(api.clock));
    CHECK(shown["created_at"] == put["created_at"]);
    CHECK_FALSE(shown.contains("errors"));
}

TEST_CASE("auto mode: the fallback origin's step is --validation-step, for reads and the settler alike") {
    OriginApi api(lifecycle::Mode::automatic, std::chrono::seconds(2));
    api.put("fallback.saas.io");
    // Past the old fixed 250 ms: still pending, whoever looks.
    api.clock += milliseconds(1999);
    CHECK(api.get()["status"] == "pending_deployment");
    CHECK(api.tick() == 0);
    CHECK(api.stored_status() == "pending_deployment");
    api.clock += milliseconds(1);
    CHECK(api.get()["status"] == "active");

    // A DELETE is gone a step later too.
    CHECK(api.del()["status"] == "pending_deletion");
    api.clock += milliseconds(1999);
    CHECK(api.get()["status"] == "pending_deletion");
    api.clock += milliseconds(1);
    CHECK(error_code(api.call("GET", api.path)) == 1551);
}

TEST_CASE("auto mode: the settler removes a deleted fallback origin a step after the DELETE, with no API read") {
    OriginApi api(lifecycle::Mode::automatic, milliseconds(100));
    api.put("fallback.saas.io");
    api.clock += milliseconds(100);
    CHECK(api.tick() == 1);
    REQUIRE(api.edge_origin() == std::optional<std::string>("fallback.saas.io"));

    CHECK(api.del()["status"] == "pending_deletion");
    CHECK(api.edge_origin() == std::nullopt);  // on its way out: no traffic
    api.clock += milliseconds(99);
    CHECK(api.tick() == 0);
    CHECK(api.stored_status() == "pending_deletion");
    api.clock += milliseconds(1);
    CHECK(api.tick() == 1);
    CHECK(api.stored_status() == std::nullopt);
    CHECK(api.call("GET", api.path).status == 404);
}

TEST_CASE("auto mode: a PUT made after the settler picked the origin wins over its settling") {
    OriginApi api(lifecycle::Mode::automatic, milliseconds(100));
    api.put("old.saas.io");
    api.clock += milliseconds(100);
    auto due = fallback_origins_to_settle(api.context, 1000);
    REQUIRE(due.size() == 1);
    api.put("new.saas.io");  // a fresh deployment, due a step from now
    settle_fallback_origin_of(api.context, due[0]);
    CHECK(api.stored_status() == "pending_deployment");
    CHECK(api.get()["origin"] == "new.saas.io");
}

TEST_CASE("auto mode with step 0: active in the PUT answer, gone at the DELETE") {
    OriginApi api(lifecycle::Mode::automatic, milliseconds(0));
    auto put = api.put("fallback.saas.io");
    CHECK(put["status"] == "active");
    CHECK(put["updated_at"] == put["created_at"]);
    CHECK(api.edge_origin() == std::optional<std::string>("fallback.saas.io"));
    CHECK(api.del()["status"] == "pending_deletion");  // what Cloudflare's DELETE answers
    CHECK(api.stored_status() == std::nullopt);
}

TEST_CASE("off: the fallback origin is settled in the request, as hostnames are at creation") {
    OriginApi api(std::nullopt);
    auto put = api.put("fallback.saas.io");
    CHECK(put["status"] == "active");
    CHECK(put["updated_at"] == put["created_at"]);
    CHECK_FALSE(put.contains("errors"));
    CHECK(api.stored_status() == "active");
    CHECK(api.edge_origin() == std::optional<std::string>("fallback.saas.io"));
    CHECK(api.tick() == 0);  // no settler runs in off mode, and nothing would be left for one

    // A new PUT is active at once too; a DELETE answers pending_deletion and is gone.
    CHECK(api.put("other.saas.io")["status"] == "active");
    CHECK(api.edge_origin() == std::optional<std::string>("other.saas.io"));
    auto deleted = api.del();
    CHECK(deleted["status"] == "pending_deletion");
    CHECK(deleted["origin"] == "other.saas.io");
    CHECK(api.stored_status() == std::nullopt);
    CHECK(error_code(api.call("GET", api.path)) == 1551);
}

TEST_CASE("manual mode: the fallback origin moves only by the emulator's advance route") {
    OriginApi api(lifecycle::Mode::manual, milliseconds(100));
    CHECK(api.put("fallback.saas.io")["status"] == "pending_deployment");
    api.clock += std::chrono::hours(1);
    CHECK(api.get()["status"] == "pending_deployment");
    CHECK(api.tick() == 0);
    CHECK(api.edge_origin() == std::nullopt);

    api.clock += milliseconds(5);
    auto active = api.advance();
    CHECK(active["status"] == "active");
    CHECK(active["updated_at"] == rfc3339_micros(api.clock));
    CHECK(api.get()["status"] == "active");
    CHECK(api.edge_origin() == std::optional<std::string>("fallback.saas.io"));

    // Nothing further to move: 409 / 1400 with the reason.
    auto refused = api.call("POST", api.advance_path, "", {});
    CHECK(refused.status == 409);
    CHECK(error_code(refused) == 1400);
    CHECK(json::parse(refused.body)["errors"][0]["message"].get<std::string>().find("is active") != std::string::npos);

    CHECK(api.del()["status"] == "pending_deletion");
    api.clock += std::chrono::hours(1);
    CHECK(api.get()["status"] == "pending_deletion");
    CHECK(api.tick() == 0);
    auto gone = api.advance();
    CHECK(gone["status"] == "deleted");
    CHECK(gone["origin"] == "fallback.saas.io");
    CHECK(api.stored_status() == std::nullopt);
    CHECK(error_code(api.call("GET", api.path)) == 1551);

    // None set: 404 / 1551, as GET answers.
    auto none = api.call("POST", api.advance_path, "", {});
    CHECK(none.status == 404);
    CHECK(error_code(none) == 1551);
}

TEST_CASE("the advance route is the emulator's: any mode, never under /client/v4") {
    OriginApi api(lifecycle::Mode::automatic, std::chrono::hours(1));
    api.put("fallback.saas.io");
    CHECK(api.call("POST", "/client/v4" + api.advance_path, "", {}).status == 404);
    CHECK(api.advance()["status"] == "active");  // an hour early
}

TEST_CASE("dns mode: the settler removes a deleted fallback origin a step later; a deployment waits for its check") {
    OriginApi api(lifecycle::Mode::dns, milliseconds(100));
    CHECK(api.put("fallback.saas.io")["status"] == "pending_deployment");
    api.clock += std::chrono::hours(1);
    CHECK(api.tick() == 0);  // not by the step: by resolving (test_validation_checks.cpp)
    CHECK(api.stored_status() == "pending_deployment");

    CHECK(api.del()["status"] == "pending_deletion");
    api.clock += milliseconds(100);
    CHECK(api.tick() == 1);
    CHECK(api.stored_status() == std::nullopt);
}

TEST_SUITE_END();
