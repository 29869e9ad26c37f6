// Each custom hostname's status changes (storage/hostname_history.hpp): written with the change,
// in its transaction, once per change; gone with the hostname.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"
#include "storage/state_repository.hpp"

using namespace storage;

namespace {

const std::string history_zone = "023e105f4ecef8ad9ca31a8372d0c353";

CustomHostname pending_hostname() {
    CustomHostname h;
    h.id = "5f1f5f6a-0d7c-4d6e-9a55-6a1b8e0a1c01", h.zone_id = history_zone, h.hostname = "shop.customer.com";
    h.status = "pending", h.created_at = "2027-01-01T00:00:00.000000Z", h.ownership_token = "token";
    h.ssl.emplace();
    h.ssl->id = "ssl-1", h.ssl->status = "initializing", h.ssl->method = "txt", h.ssl->type = "dv";
    h.ssl->bundle_method = "ubiquitous";
    return h;
}

std::vector<std::string> lines(const std::vector<HostnameStatusChange>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes) out.push_back(c.verification + " " + c.status + " " + c.at);
    return out;
}

}  // namespace

TEST_CASE("the history holds each status a hostname entered, both verifications, with the time it entered it") {
    Database db(":memory:");
    HostnameRepository repo(db);
    auto h = pending_hostname();
    REQUIRE(repo.insert(h) == WriteResult::ok);
    CHECK(lines(repo.history(h.id)) == std::vector<std::string>{"ownership pending 2027-01-01T00:00:00.000000Z",
                                                                 "certificate initializing 2027-01-01T00:00:00.000000Z"});

    // An update that changes no status (an edit of the metadata) adds nothing.
    h.custom_metadata = R"({"plan":"gold"})";
    REQUIRE(repo.update(h) == WriteResult::ok);
    CHECK(repo.history(h.id).size() == 2);

    auto before = *repo.find(history_zone, h.id);
    h.status = "active";
    h.status_changed_at = "2027-01-01T00:05:00.000000Z";
    h.ssl->status = "pending_validation";
    h.ssl->status_changed_at = "2027-01-01T00:06:00.000000Z";
    REQUIRE(repo.update_if_unchanged(h, before) == WriteResult::ok);
    // A new certificate (a PATCH of ssl) is a new entry even in the same status.
    h.ssl->id = "ssl-2";
    h.ssl->status_changed_at = "2027-01-02T00:00:00.000000Z";
    REQUIRE(repo.update(h) == WriteResult::ok);
    CHECK(lines(repo.history(h.id)) == std::vector<std::string>{
                                           "ownership pending 2027-01-01T00:00:00.000000Z",
                                           "certificate initializing 2027-01-01T00:00:00.000000Z",
                                           "ownership active 2027-01-01T00:05:00.000000Z",
                                           "certificate pending_validation 2027-01-01T00:06:00.000000Z",
                                           "certificate pending_validation 2027-01-02T00:00:00.000000Z"});

    // A refused write leaves no entry: an update_if_unchanged that lost the race writes nothing.
    auto stale = before;
    h.status = "blocked";
    CHECK(repo.update_if_unchanged(h, stale) == WriteResult::not_found);
    CHECK(repo.history(h.id).size() == 5);

    REQUIRE(repo.remove(history_zone, h.id));
    CHECK(repo.history(h.id).empty());
}

TEST_CASE("the history is no part of the state document; a seed starts it at the statuses it loads") {
    Database source(":memory:");
    HostnameRepository(source).insert(pending_hostname());
    auto h = pending_hostname();
    h.status = "active";
    h.status_changed_at = "2027-01-01T00:05:00.000000Z";
    REQUIRE(HostnameRepository(source).update(h) == WriteResult::ok);
    auto rows = StateRepository(source).export_state();
    for (const auto& table : rows) CHECK(table.table != "custom_hostname_history");

    Database target(":memory:");
    StateRepository(target).import_state(rows);
    CHECK(lines(HostnameRepository(target).history(h.id)) ==
          std::vector<std::string>{"ownership active 2027-01-01T00:05:00.000000Z",
                                   "certificate initializing 2027-01-01T00:00:00.000000Z"});
    // Seeded again, the hostname's history starts again rather than doubling.
    StateRepository(target).import_state(rows);
    CHECK(HostnameRepository(target).history(h.id).size() == 2);
}
