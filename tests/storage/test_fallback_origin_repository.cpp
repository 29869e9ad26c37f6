// Migration 4: a zone's fallback origin, and the lifecycle columns of custom hostnames.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/fallback_origin_repository.hpp"
#include "storage/hostname_repository.hpp"

using storage::Database;
using storage::FallbackOrigin;
using storage::FallbackOriginRepository;

namespace {

const std::string fallback_zone = "023e105f4ecef8ad9ca31a8372d0c353";

FallbackOrigin origin(const std::string& name, const std::string& at) {
    return FallbackOrigin{fallback_zone, name, "pending_deployment", "[]", at, at};
}

}  // namespace

TEST_SUITE_BEGIN("fallback_origin_repository");

TEST_CASE("fallback origin: put, find, replace keeps created_at") {
    Database db(":memory:");
    FallbackOriginRepository repo(db);
    CHECK_FALSE(repo.find(fallback_zone));

    auto first = repo.put(origin("fallback.saas.io", "2026-11-30T10:00:00.000000Z"));
    CHECK(first.origin == "fallback.saas.io");
    CHECK(first.status == "pending_deployment");

    auto second = repo.put(origin("other.saas.io", "2026-11-30T11:00:00.000000Z"));
    CHECK(second.origin == "other.saas.io");
    CHECK(second.created_at == "2026-11-30T10:00:00.000000Z");
    CHECK(second.updated_at == "2026-11-30T11:00:00.000000Z");
    CHECK_FALSE(repo.find("another-zone"));
}

TEST_CASE("fallback origin: status changes and removal only from the expected status") {
    Database db(":memory:");
    FallbackOriginRepository repo(db);
    repo.put(origin("fallback.saas.io", "2026-11-30T10:00:00.000000Z"));

    CHECK(repo.set_status(fallback_zone, "pending_deployment", "active", "[]", "2026-11-30T10:00:01.000000Z"));
    CHECK_FALSE(repo.set_status(fallback_zone, "pending_deployment", "active", "[]", "2026-11-30T10:00:02.000000Z"));
    CHECK(repo.find(fallback_zone)->status == "active");
    CHECK(repo.find(fallback_zone)->updated_at == "2026-11-30T10:00:01.000000Z");

    CHECK_FALSE(repo.remove_if(fallback_zone, "pending_deletion"));
    CHECK(repo.set_status(fallback_zone, "active", "pending_deletion", "[]", "2026-11-30T10:00:03.000000Z"));
    CHECK(repo.remove_if(fallback_zone, "pending_deletion"));
    CHECK_FALSE(repo.find(fallback_zone));
}

TEST_CASE("fallback origin (migration 8): dns-mode checks due, and their outcome stored only over what was seen") {
    Database db(":memory:");
    FallbackOriginRepository repo(db);
    auto put = repo.put(origin("fallback.saas.io", "2026-11-30T10:00:00.000000Z"));
    CHECK(put.attempts == 0);
    CHECK_FALSE(put.next_check_at);
    // None scheduled (set in another mode): due at once.
    CHECK(repo.due_for_check("2026-11-30T10:00:00.000000Z", 10) == std::vector<std::string>{fallback_zone});

    FallbackOrigin failed = put;
    failed.attempts = 1;
    failed.errors = R"(["not resolving"])";
    failed.next_check_at = "2026-11-30T10:01:00.000000Z";
    CHECK(repo.record_check(put, failed));
    auto stored = *repo.find(fallback_zone);
    CHECK(stored.attempts == 1);
    CHECK(stored.next_check_at == "2026-11-30T10:01:00.000000Z");
    CHECK(stored.errors == R"(["not resolving"])");
    CHECK(repo.due_for_check("2026-11-30T10:00:59.999999Z", 10).empty());
    CHECK(repo.due_for_check("2026-11-30T10:01:00.000000Z", 10) == std::vector<std::string>{fallback_zone});
    // The same outcome again is stale: the row no longer looks as it did when that check started.
    CHECK_FALSE(repo.record_check(put, failed));

    // A PUT while a check runs wins over its outcome.
    auto replaced = repo.put(origin("other.saas.io", "2026-11-30T10:00:30.000000Z"));
    CHECK(replaced.attempts == 0);
    FallbackOrigin active = stored;
    active.status = "active";
    active.next_check_at.reset();
    CHECK_FALSE(repo.record_check(stored, active));
    CHECK(repo.find(fallback_zone)->status == "pending_deployment");
    CHECK(repo.record_check(replaced, FallbackOrigin{fallback_zone, "other.saas.io", "active", "[]", replaced.created_at,
                                                     "2026-11-30T10:00:31.000000Z"}));
    CHECK(repo.find(fallback_zone)->status == "active");
    CHECK(repo.due_for_check("2026-12-30T10:00:00.000000Z", 10).empty());  // only pending origins are checked
}

TEST_CASE("fallback origin: pending for long enough, deletions always, deployments when asked, oldest first") {
    Database db(":memory:");
    FallbackOriginRepository repo(db);
    auto at = [](const std::string& zone_id, const std::string& status, const std::string& when) {
        return FallbackOrigin{zone_id, "o.saas.io", status, "[]", when, when};
    };
    repo.put(at("z1", "pending_deployment", "2026-11-30T10:00:02.000000Z"));
    repo.put(at("z2", "pending_deletion", "2026-11-30T10:00:01.000000Z"));
    repo.put(at("z3", "active", "2026-11-30T10:00:00.000000Z"));
    repo.put(at("z4", "pending_deletion", "2026-11-30T10:00:05.000000Z"));  // too recent
    repo.put(at("z5", "deployment_timed_out", "2026-11-30T10:00:00.000000Z"));
    const std::string by = "2026-11-30T10:00:02.000000Z";
    CHECK(repo.pending_since(by, true, 10) == std::vector<std::string>{"z2", "z1"});
    CHECK(repo.pending_since(by, false, 10) == std::vector<std::string>{"z2"});
    CHECK(repo.pending_since(by, true, 1) == std::vector<std::string>{"z2"});
}

TEST_CASE("custom hostnames gain the lifecycle columns with empty defaults") {
    Database db(":memory:");
    storage::HostnameRepository hostnames(db);
    storage::CustomHostname h;
    h.id = "0d89c70d-ad9f-4843-b99f-6cc0252067e9";
    h.zone_id = fallback_zone;
    h.hostname = "app.acme.io";
    h.status = "pending";
    h.created_at = "2026-11-30T10:00:00.000000Z";
    h.ownership_token = "token";
    REQUIRE(hostnames.insert(h) == storage::WriteResult::ok);

    storage::Statement s(db,
                         "SELECT ownership_attempts, verification_errors, ssl_attempts, ssl_validation_errors, "
                         "status_changed_at IS NULL, ssl_next_check_at IS NULL, dv_ecdsa_chain_pem IS NULL, "
                         "dv_rsa_private_key_pem IS NULL FROM custom_hostnames");
    REQUIRE(s.step());
    CHECK(s.integer(0) == 0);
    CHECK(s.text(1) == "[]");
    CHECK(s.integer(2) == 0);
    CHECK(s.text(3) == "[]");
    CHECK(s.integer(4) == 1);  // the repository does not write it yet
    CHECK(s.integer(5) == 1);
    CHECK(s.integer(6) == 1);
    CHECK(s.integer(7) == 1);
}

TEST_SUITE_END();
