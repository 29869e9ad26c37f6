// Lists find a page through the blocks and counts that migration 5's triggers keep
// (storage/ordered_list.hpp). Every page of every list, in both directions and several page
// sizes, must equal a naive ORDER BY ... LIMIT ... OFFSET over the same rows, with ties in every
// key, while rows are inserted, updated and deleted, from this connection and from another one
// at the same time.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <type_traits>

#include "storage/certificate_repository.hpp"
#include "storage/csr_repository.hpp"
#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"
#include "support/certificate_rows.hpp"
#include "support/csr_rows.hpp"
#include "support/sql_scalar.hpp"

using namespace storage;
using test_support::make_csr;

namespace {

using Ids = std::vector<std::string>;

Ids naive(Database& db, const std::string& sql, const std::vector<std::string>& owner, std::int64_t limit,
          std::int64_t offset) {
    Statement s(db, sql + " LIMIT ? OFFSET ?");
    int i = 1;
    for (const auto& o : owner) s.bind(i++, o);
    s.bind(i, limit).bind(i + 1, offset);
    Ids out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::int64_t scalar(Database& db, const std::string& sql, const std::vector<std::string>& owner) {
    Statement s(db, sql);
    int i = 1;
    for (const auto& o : owner) s.bind(i++, o);
    REQUIRE(s.step());
    return s.integer(0);
}

template <class Page>
Ids ids(const Page& page) {
    Ids out;
    for (const auto& item : page.items) {
        if constexpr (std::is_same_v<std::decay_t<decltype(item)>, storage::ShownCsr>) out.push_back(test_support::shown_id(item));
        else out.push_back(item.id);
    }
    return out;
}

// A certificate over a key of its own (no CSR).
StoredCertificate make_keyed_certificate(const std::string& fingerprint) {
    StoredCertificate cert = test_support::make_certificate(fingerprint);
    cert.private_key_pem = "KEY";
    return cert;
}

// Few distinct values, so every key has ties broken by the next one.
const char* const times[] = {"2026-01-01T00:00:00.000001Z", "2026-01-01T00:00:00.000002Z",
                             "2026-01-01T00:00:00.000003Z", "2026-01-01T00:00:00.000004Z"};
const char* const ssl_statuses[] = {"active", "pending_validation", "initializing"};

struct Workload {
    Database& db;
    CsrRepository csrs{db};
    HostnameRepository hostnames{db};
    CertificateRepository certificates{db};
    std::mt19937 rng;
    std::string prefix;
    int next = 0;
    const std::vector<std::string> zones{"z1", "z2"};

    Workload(Database& database, unsigned seed, std::string id_prefix)
        : db(database), rng(seed), prefix(std::move(id_prefix)) {}

    int pick(int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); }
    std::string id() {
        // Ids not in insertion order, so the id tie-break is exercised.
        char buf[32];
        std::snprintf(buf, sizeof buf, "%02d-%s%05d", pick(100), prefix.c_str(), next++);
        return buf;
    }
    std::string any_id(const std::string& table) {
        Statement s(db, "SELECT id FROM " + table + " ORDER BY random() LIMIT 1");
        return s.step() ? s.text(0) : "";
    }
    // The zone of row `id` in `table` (custom_hostnames, custom_certificates), if it is there.
    std::optional<std::string> zone_of(const std::string& table, const std::string& id) {
        Statement s(db, "SELECT zone_id FROM " + table + " WHERE id = ?");
        s.bind(1, id);
        return s.step() ? std::optional(s.text(0)) : std::nullopt;
    }

    void step() {
        const std::string zone = zones[static_cast<std::size_t>(pick(2))];
        switch (pick(9)) {
            case 0:
            case 1: {
                std::optional<std::string> name;
                int n = pick(4);
                if (n == 1) name = "";
                if (n == 2) name = "alpha";
                if (n == 3) name = "beta";
                Scope scope = pick(3) == 0 ? Scope::account : Scope::zone;
                // Some with the API's stored JSON, some without (as seeds and older databases
                // leave them): a page mixes both and keeps one order.
                auto csr = make_csr(id(), scope, scope == Scope::account ? "acct" : zone, times[pick(4)], name);
                csrs.insert(csr, "k", pick(2) == 0 ? test_support::shown_json_of(csr.id) : std::string());
                break;
            }
            case 2: {
                std::string victim = any_id("custom_csrs");
                if (victim.empty()) break;
                Statement s(db, "SELECT scope, scope_id FROM custom_csrs WHERE id = ?");
                s.bind(1, victim);
                if (!s.step()) break;
                csrs.remove(s.text(0) == "account" ? Scope::account : Scope::zone, s.text(1), victim);
                break;
            }
            case 3: {
                CustomHostname h;
                h.id = id();
                h.zone_id = zone;
                h.hostname = h.id + ".example.com";
                h.status = "pending";
                h.created_at = times[pick(4)];
                h.ownership_token = "t";
                if (pick(3) != 0) {
                    HostnameSsl ssl;
                    ssl.id = "ssl-" + h.id;
                    ssl.status = ssl_statuses[pick(3)];
                    ssl.method = "http";
                    ssl.type = "dv";
                    ssl.bundle_method = "ubiquitous";
                    h.ssl = ssl;
                }
                hostnames.insert(h);
                break;
            }
            case 4: {  // ssl_status moves the row in the ssl_status order
                std::string victim = any_id("custom_hostnames");
                auto victim_zone = zone_of("custom_hostnames", victim);
                if (!victim_zone) break;
                auto h = hostnames.find(*victim_zone, victim);
                if (!h) break;
                if (h->ssl && pick(4) == 0) h->ssl.reset();
                else if (h->ssl) h->ssl->status = ssl_statuses[pick(3)];
                hostnames.update(*h);
                break;
            }
            case 5: {
                std::string victim = any_id("custom_hostnames");
                if (auto victim_zone = zone_of("custom_hostnames", victim)) hostnames.remove(*victim_zone, victim);
                break;
            }
            case 6: {
                CustomCertificate c;
                c.id = id();
                c.zone_id = zone;
                c.type = "legacy_custom";
                c.bundle_method = "ubiquitous";
                c.deploy = "production";
                c.priority = pick(3) * 10;
                c.uploaded_on = c.modified_on = times[pick(4)];
                c.certificate = make_keyed_certificate("fp-" + c.id);
                if (pick(4) == 0) {
                    std::string previous = any_id("custom_certificates");
                    if (auto previous_zone = zone_of("custom_certificates", previous)) {
                        c.zone_id = *previous_zone;
                        certificates.replace(previous, c);
                        break;
                    }
                }
                certificates.insert(c);
                break;
            }
            case 7: {
                std::vector<std::pair<std::string, std::int64_t>> priorities;
                for (int i = 0; i < 3; ++i) priorities.emplace_back(any_id("custom_certificates"), pick(4) * 10);
                certificates.set_priorities(zone, priorities, times[3]);
                break;
            }
            case 8: {
                std::string victim = any_id("custom_certificates");
                if (auto victim_zone = zone_of("custom_certificates", victim)) certificates.remove(*victim_zone, victim);
                break;
            }
        }
    }
};

// Every page of every list (and one past the end) against the naive query, on `db`.
void check_all_pages(Database& db, CsrRepository& csrs, HostnameRepository& hostnames,
                     CertificateRepository& certificates, const std::vector<std::int64_t>& page_sizes = {1, 3, 7}) {
    for (std::int64_t per_page : page_sizes) {
        for (bool desc : {false, true}) {
            const std::string dir = desc ? " DESC" : " ASC";
            for (auto [scope, owner] : {std::pair{Scope::zone, std::string("z1")}, std::pair{Scope::zone, std::string("z2")},
                                        std::pair{Scope::account, std::string("acct")}}) {
                for (CsrOrder order : {CsrOrder::created_at, CsrOrder::name}) {
                    std::string order_by = order == CsrOrder::name
                                               ? "coalesce(name, '')" + dir + ", created_at" + dir + ", id" + dir
                                               : "created_at" + dir + ", id" + dir;
                    std::vector<std::string> params{scope_name(scope), owner};
                    std::int64_t total =
                        scalar(db, "SELECT count(*) FROM custom_csrs WHERE scope = ? AND scope_id = ?", params);
                    for (std::int64_t page = 1; page <= total / per_page + 2; ++page) {
                        auto got = csrs.list(scope, owner, page, per_page, order, desc);
                        CHECK(got.total_count == total);
                        CHECK(ids(got) == naive(db, "SELECT id FROM custom_csrs WHERE scope = ? AND scope_id = ? ORDER BY " + order_by,
                                                params, per_page, (page - 1) * per_page));
                    }
                }
            }
            for (const std::string zone : {"z1", "z2"}) {
                for (HostnameOrder order : {HostnameOrder::created_at, HostnameOrder::ssl_status}) {
                    std::string order_by = order == HostnameOrder::ssl_status
                                               ? "coalesce(ssl_status, '')" + dir + ", created_at" + dir + ", id" + dir
                                               : "created_at" + dir + ", id" + dir;
                    std::int64_t total = scalar(db, "SELECT count(*) FROM custom_hostnames WHERE zone_id = ?", {zone});
                    for (std::int64_t page = 1; page <= total / per_page + 2; ++page) {
                        auto got = hostnames.list(zone, HostnameFilter{}, page, per_page, order, desc);
                        CHECK(got.total_count == total);
                        CHECK(ids(got) == naive(db, "SELECT id FROM custom_hostnames WHERE zone_id = ? ORDER BY " + order_by,
                                                {zone}, per_page, (page - 1) * per_page));
                    }
                }
                if (desc) continue;  // certificates have one order
                std::int64_t total = scalar(db, "SELECT count(*) FROM custom_certificates WHERE zone_id = ?", {zone});
                for (std::int64_t page = 1; page <= total / per_page + 2; ++page) {
                    auto got = certificates.list(zone, page, per_page, std::nullopt, "2026-02-01T00:00:00Z");
                    CHECK(got.total_count == total);
                    CHECK(ids(got) == naive(db,
                                            "SELECT id FROM custom_certificates WHERE zone_id = ? "
                                            "ORDER BY priority DESC, uploaded_on, id",
                                            {zone}, per_page, (page - 1) * per_page));
                }
            }
        }
    }
}

// The blocks account for every row: per list, their counts add up to list_counts, none is empty.
void check_blocks(Database& db) {
    Statement s(db,
                "SELECT count(*) FROM list_counts c WHERE n <> (SELECT sum(n) FROM list_blocks b "
                "WHERE b.list = c.list AND b.owner = c.owner)");
    REQUIRE(s.step());
    CHECK(s.integer(0) == 0);
    CHECK(test_support::query_integer(db, "SELECT count(*) FROM list_blocks WHERE n <= 0") == 0);
    Statement orphans(db,
                      "SELECT count(*) FROM list_blocks b WHERE NOT EXISTS (SELECT 1 FROM list_counts c "
                      "WHERE c.list = b.list AND c.owner = b.owner)");
    REQUIRE(orphans.step());
    CHECK(orphans.integer(0) == 0);
}

}  // namespace

TEST_CASE("every page of every list equals ORDER BY/LIMIT/OFFSET while rows come and go") {
    Database db(":memory:");
    db.exec("UPDATE list_block_size SET rows = 2");  // blocks split and empty often
    Workload w(db, 12, "a");
    for (int round = 0; round < 30; ++round) {
        for (int i = 0; i < 12; ++i) w.step();
        check_blocks(db);
        check_all_pages(db, w.csrs, w.hostnames, w.certificates);
    }
    // Then empty everything: lists and blocks go with their rows.
    db.exec("DELETE FROM custom_hostnames; DELETE FROM custom_certificates; DELETE FROM custom_csrs");
    CHECK(test_support::query_integer(db, "SELECT (SELECT count(*) FROM list_blocks) + (SELECT count(*) FROM list_counts)") == 0);
}

TEST_CASE("pages read on reader connections, from their cached block starts, follow every write") {
    // The main connection writes; CSR pages are read on reader connections, which keep where
    // each list's blocks start until another connection commits (storage/list_block_cache.hpp).
    char dir_template[] = "/tmp/csr-emulator-ordered-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    const std::filesystem::path dir = dir_template;
    {
        Database db((dir / "lists.sqlite3").string());
        db.exec("UPDATE list_block_size SET rows = 3");  // many blocks, split and dropped often
        Workload w(db, 21, "r");
        for (int round = 0; round < 40; ++round) {
            // A round of writes, or none (the same pages again, from the cache).
            if (round % 3 != 2)
                for (int i = 0; i < 1 + round % 5; ++i) w.step();
            check_all_pages(db, w.csrs, w.hostnames, w.certificates, {1, 4});
        }
        check_blocks(db);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("a page read in one snapshot equals the naive query while another connection writes") {
    char dir_template[] = "/tmp/csr-emulator-ordered-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    const std::filesystem::path dir = dir_template;
    const std::string path = (dir / "lists.sqlite3").string();
    {
        Database reader(path);
        reader.set_reader_connections(false);  // the repositories read in the snapshot pinned below
        reader.exec("UPDATE list_block_size SET rows = 3");
        Database writer_db(path);
        std::atomic<bool> stop{false};
        std::atomic<int> steps{0};
        std::thread writer([&] {
            Workload w(writer_db, 7, "w");
            // Paced, so the tables stay small enough to page through whole.
            for (int i = 0; !stop.load() && i < 3000; ++i) {
                w.step();
                ++steps;
                std::this_thread::sleep_for(std::chrono::microseconds(300));
            }
        });
        CsrRepository csrs(reader);
        HostnameRepository hostnames(reader);
        CertificateRepository certificates(reader);
        // At least 25 rounds, and on until the writer has made 400 changes.
        for (int round = 0; round < 25 || (steps.load() < 400 && round < 5000); ++round) {
            // One read transaction: the repositories' pages and the reference see the same rows.
            reader.exec("BEGIN");
            check_blocks(reader);
            check_all_pages(reader, csrs, hostnames, certificates, {5});
            reader.exec("COMMIT");
        }
        stop = true;
        writer.join();
        CHECK(steps.load() >= 400);
        check_blocks(reader);
    }
    std::filesystem::remove_all(dir);
}
