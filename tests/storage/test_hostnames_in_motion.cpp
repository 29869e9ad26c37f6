// The background settler's two queries (HostnameRepository::unsettled and due_for_check): the
// hostnames each returns, and that both read the partial index of hostnames in motion rather
// than every row (a full scan per tick kept an idle emulator with 100,000 hostnames busy).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"
#include "storage/hostnames_in_motion.hpp"

using namespace storage;

namespace {

const std::string motion_zone = "023e105f4ecef8ad9ca31a8372d0c353";

// `ssl_status` empty: no ssl object. `with_certificate`: an uploaded certificate.
CustomHostname hostname(const std::string& id, const std::string& status, const std::string& ssl_status,
                        bool with_certificate = true) {
    CustomHostname h;
    h.id = id;
    h.zone_id = motion_zone;
    h.hostname = id + ".acme.io";
    h.status = status;
    h.created_at = "2026-01-01T00:00:00.0000" + id.substr(1) + "Z";
    h.ownership_token = "token-" + id;
    if (!ssl_status.empty()) {
        HostnameSsl ssl;
        ssl.id = "ssl-" + id;
        ssl.status = ssl_status;
        ssl.method = "http";
        ssl.type = "dv";
        ssl.bundle_method = "ubiquitous";
        if (with_certificate) {
            StoredCertificate cert;
            cert.chain_pem = "CHAIN";
            cert.private_key_pem = "KEY";
            cert.issuer = "CN=Test";
            cert.serial_number = "01";
            cert.signature = "ECDSAWithSHA256";
            cert.fingerprint_sha256 = "fp-" + id;
            cert.not_before = "2026-01-01T00:00:00Z";
            cert.not_after = "2026-04-01T00:00:00Z";
            cert.hosts = {h.hostname};
            ssl.certificate = cert;
        }
        h.ssl = ssl;
    }
    return h;
}

std::vector<std::string> ids(const std::vector<std::pair<std::string, std::string>>& keys) {
    std::vector<std::string> out;
    for (const auto& [z, id] : keys) out.push_back(id);
    return out;
}

std::string plan(Database& db, const std::string& sql) {
    Statement s(db, "EXPLAIN QUERY PLAN " + sql);
    std::string out;
    while (s.step()) out += s.text(3) + "\n";
    return out;
}

}  // namespace

TEST_CASE("the settler's queries return the hostnames in motion, and only those") {
    Database db(":memory:");
    HostnameRepository repo(db);
    // Settled: nothing moves them with time alone.
    REQUIRE(repo.insert(hostname("h10", "active", "active")) == WriteResult::ok);
    REQUIRE(repo.insert(hostname("h11", "active", "")) == WriteResult::ok);
    REQUIRE(repo.insert(hostname("h12", "blocked", "validation_timed_out", false)) == WriteResult::ok);
    // In motion.
    REQUIRE(repo.insert(hostname("h20", "moved", "active")) == WriteResult::ok);
    REQUIRE(repo.insert(hostname("h21", "active", "pending_deployment")) == WriteResult::ok);
    REQUIRE(repo.insert(hostname("h22", "active", "active", false)) == WriteResult::ok);  // DV pair not issued yet
    auto pending = hostname("h23", "pending", "pending_validation", false);
    REQUIRE(repo.insert(pending) == WriteResult::ok);
    auto scheduled = hostname("h24", "pending", "pending_validation", false);
    scheduled.ownership_next_check_at = "2026-01-01T00:00:10.000000Z";
    scheduled.ssl->next_check_at = "2026-01-01T00:00:05.000000Z";
    REQUIRE(repo.insert(scheduled) == WriteResult::ok);

    CHECK(ids(repo.unsettled(100, true)) == std::vector<std::string>{"h20", "h21", "h22", "h23", "h24"});
    CHECK(ids(repo.unsettled(100, false)) == std::vector<std::string>{"h20", "h21", "h22"});
    CHECK(ids(repo.unsettled(2, true)) == std::vector<std::string>{"h20", "h21"});
    // Unscheduled pending verifications are due at once; scheduled ones from their time.
    CHECK(ids(repo.due_for_check("2026-01-01T00:00:04.000000Z", 100)) == std::vector<std::string>{"h23"});
    auto due = ids(repo.due_for_check("2026-01-01T00:00:05.000000Z", 100));
    std::sort(due.begin(), due.end());
    CHECK(due == std::vector<std::string>{"h23", "h24"});

    // Settling one takes it out of both.
    auto settled = *repo.find(motion_zone, "h20");
    auto before = settled;
    settled.status = "active";
    REQUIRE(repo.update_if_unchanged(settled, before) == WriteResult::ok);
    CHECK(ids(repo.unsettled(100, false)) == std::vector<std::string>{"h21", "h22"});
}

TEST_CASE("the settler's queries read the index of hostnames in motion, not the whole table") {
    Database db(":memory:");
    for (const auto* sql : {&hostname_queries::unsettled, &hostname_queries::due_for_check}) {
        auto shown = plan(db, *sql);
        INFO(shown);
        CHECK(shown.find("USING INDEX custom_hostnames_in_motion") != std::string::npos);
    }
}
