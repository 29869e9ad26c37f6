#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include <stdlib.h>

#include "storage/csr_repository.hpp"
#include "storage/database.hpp"
#include "support/csr_rows.hpp"
#include "support/sql_scalar.hpp"

using namespace storage;
using test_support::make_csr;
using test_support::shown_id;
using test_support::shown_json_of;

namespace {

std::vector<std::string> ids(const CsrPage& page) {
    std::vector<std::string> out;
    for (const auto& csr : page.items) out.push_back(shown_id(csr));
    return out;
}

}  // namespace

TEST_CASE("a stored CSR comes back field for field, SANs in order, without its key") {
    Database db(":memory:");
    CsrRepository repo(db);
    auto csr = make_csr("a", Scope::zone, "z1", "2026-01-01T00:00:00.000001Z", "n");
    csr.organizational_unit = "Unit";
    repo.insert(csr, "KEY-PEM");
    auto found = repo.find(Scope::zone, "z1", "a");
    REQUIRE(found);
    CHECK(found->sans == std::vector<std::string>{"app.acme.io", "www.acme.io", "acme.io"});
    CHECK(found->organizational_unit == std::optional<std::string>("Unit"));
    CHECK(found->name == std::optional<std::string>("n"));
    CHECK_FALSE(found->description);
    CHECK(found->csr_pem == csr.csr_pem);
    Statement key(db, "SELECT private_key_pem FROM custom_csrs WHERE id = 'a'");
    REQUIRE(key.step());
    CHECK(key.text(0) == "KEY-PEM");
}

TEST_CASE("scopes are isolated: zone vs zone, zone vs account") {
    Database db(":memory:");
    CsrRepository repo(db);
    repo.insert(make_csr("a", Scope::zone, "z1", "2026-01-01T00:00:00.000001Z"), "k");
    CHECK_FALSE(repo.find(Scope::zone, "z2", "a"));
    CHECK_FALSE(repo.find(Scope::account, "z1", "a"));
    CHECK(repo.list(Scope::zone, "z2", 1, 20).total_count == 0);
    CHECK(repo.remove(Scope::zone, "z2", "a") == RemoveResult::not_found);
    CHECK(repo.remove(Scope::account, "z1", "a") == RemoveResult::not_found);
    CHECK(repo.find(Scope::zone, "z1", "a"));
}

TEST_CASE("list pages in created_at then id order, counts the whole scope") {
    Database db(":memory:");
    CsrRepository repo(db);
    // Same timestamp for b and a: the id breaks the tie.
    repo.insert(make_csr("c", Scope::zone, "z", "2026-01-01T00:00:00.000003Z"), "k");
    repo.insert(make_csr("b", Scope::zone, "z", "2026-01-01T00:00:00.000001Z"), "k");
    repo.insert(make_csr("a", Scope::zone, "z", "2026-01-01T00:00:00.000001Z"), "k");
    repo.insert(make_csr("x", Scope::zone, "other", "2026-01-01T00:00:00.000000Z"), "k");
    auto first = repo.list(Scope::zone, "z", 1, 2);
    CHECK(ids(first) == std::vector<std::string>{"a", "b"});
    CHECK(first.total_count == 3);
    CHECK(ids(repo.list(Scope::zone, "z", 2, 2)) == std::vector<std::string>{"c"});
    CHECK(repo.list(Scope::zone, "z", 3, 2).items.empty());
    CHECK(ids(repo.list(Scope::zone, "z", 1, 5, CsrOrder::created_at, true)) == std::vector<std::string>{"c", "b", "a"});
    CHECK(repo.list(Scope::zone, "z", 1, 5).items[1].fields->sans.size() == 3);
}

TEST_CASE("a page carries each CSR's own SANs in request order, whatever the page's order") {
    Database db(":memory:");
    CsrRepository repo(db);
    auto a = make_csr("a", Scope::zone, "z", "2026-01-01T00:00:00.000001Z");
    a.sans = {"z.acme.io", "a.acme.io"};
    auto b = make_csr("b", Scope::zone, "z", "2026-01-01T00:00:00.000002Z");
    b.sans = {};
    auto c = make_csr("c", Scope::zone, "z", "2026-01-01T00:00:00.000003Z");
    c.sans = {"only.acme.io"};
    for (const auto* csr : {&c, &a, &b}) repo.insert(*csr, "k");
    for (bool descending : {false, true}) {
        auto page = repo.list(Scope::zone, "z", 1, 5, CsrOrder::created_at, descending);
        REQUIRE(page.items.size() == 3);
        for (const auto& item : page.items) {
            REQUIRE(item.fields);
            const auto& expected = item.fields->id == "a" ? a.sans : item.fields->id == "b" ? b.sans : c.sans;
            CHECK(item.fields->sans == expected);
        }
    }
}

TEST_CASE("a CSR stored with its JSON is shown as that JSON; one stored without it, from its fields") {
    Database db(":memory:");
    CsrRepository repo(db);
    const std::string json = R"({"id":"a","note":"stored \"as is\", \u00e9"})";
    repo.insert(make_csr("a", Scope::zone, "z", "2026-01-01T00:00:00.000001Z"), "k", json);
    repo.insert(make_csr("b", Scope::zone, "z", "2026-01-01T00:00:00.000002Z"), "k");
    repo.insert(make_csr("c", Scope::zone, "z", "2026-01-01T00:00:00.000003Z"), "k", shown_json_of("c"));

    auto a = repo.find_shown(Scope::zone, "z", "a");
    REQUIRE(a);
    CHECK(a->json == json);
    CHECK_FALSE(a->fields);
    auto b = repo.find_shown(Scope::zone, "z", "b");
    REQUIRE(b);
    CHECK(b->json.empty());
    REQUIRE(b->fields);
    CHECK(b->fields->sans == std::vector<std::string>{"app.acme.io", "www.acme.io", "acme.io"});
    CHECK_FALSE(repo.find_shown(Scope::zone, "other", "a"));
    CHECK_FALSE(repo.find_shown(Scope::zone, "z", "missing"));
    // find reads the fields whatever was stored (a certificate upload needs them).
    CHECK(repo.find(Scope::zone, "z", "a")->csr_pem == make_csr("a").csr_pem);

    for (bool descending : {false, true}) {
        auto page = repo.list(Scope::zone, "z", 1, 5, CsrOrder::created_at, descending);
        CHECK(ids(page) == (descending ? std::vector<std::string>{"c", "b", "a"} : std::vector<std::string>{"a", "b", "c"}));
        CHECK(page.items[descending ? 2 : 0].json == json);
        CHECK(page.items[1].fields->sans.size() == 3);
    }
    // The stored JSON is no part of the CSR's state (storage/state_repository.cpp); it is
    // removed with the CSR.
    CHECK(repo.remove(Scope::zone, "z", "a") == RemoveResult::removed);
    CHECK_FALSE(repo.find_shown(Scope::zone, "z", "a"));
}

TEST_CASE("list by name for accounts; unnamed CSRs sort first") {
    Database db(":memory:");
    CsrRepository repo(db);
    repo.insert(make_csr("1", Scope::account, "acc", "2026-01-01T00:00:00.000001Z", "bravo"), "k");
    repo.insert(make_csr("2", Scope::account, "acc", "2026-01-01T00:00:00.000002Z", "alpha"), "k");
    repo.insert(make_csr("3", Scope::account, "acc", "2026-01-01T00:00:00.000003Z"), "k");
    CHECK(ids(repo.list(Scope::account, "acc", 1, 5, CsrOrder::name)) == std::vector<std::string>{"3", "2", "1"});
}

TEST_CASE("remove deletes the CSR, its key and its SANs") {
    Database db(":memory:");
    CsrRepository repo(db);
    repo.insert(make_csr("a", Scope::zone, "z", "2026-01-01T00:00:00.000001Z"), "k");
    CHECK(repo.remove(Scope::zone, "z", "a") == RemoveResult::removed);
    CHECK(repo.remove(Scope::zone, "z", "a") == RemoveResult::not_found);
    CHECK(test_support::query_integer(db, "SELECT (SELECT count(*) FROM custom_csrs) + (SELECT count(*) FROM custom_csr_sans)") == 0);
}

TEST_CASE("a failed insert leaves nothing half-written") {
    Database db(":memory:");
    CsrRepository repo(db);
    repo.insert(make_csr("a", Scope::zone, "z", "2026-01-01T00:00:00.000001Z"), "k");
    auto again = make_csr("a", Scope::zone, "z", "2026-01-01T00:00:00.000002Z");
    again.sans = {"new.acme.io"};
    CHECK_THROWS_AS(repo.insert(again, "k2"), storage::Error);
    auto found = repo.find(Scope::zone, "z", "a");
    REQUIRE(found);
    CHECK(found->sans.size() == 3);  // the original SAN rows, untouched
}

TEST_CASE("reads on reader connections (a file database) see each committed write at once, from any thread") {
    char dir_template[] = "/tmp/csr-emulator-readers-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    const std::string dir = dir_template;
    {
        Database db(dir + "/db.sqlite3");
        CsrRepository repo(db);
        for (int i = 0; i < 30; ++i) {
            auto id = "c" + std::to_string(100 + i);
            repo.insert(make_csr(id, Scope::zone, "z1", "2026-01-01T00:00:00." + std::to_string(100000 + i) + "Z"), "K");
            auto found = repo.find(Scope::zone, "z1", id);
            REQUIRE(found);
            CHECK(found->sans.size() == 3);
            CHECK(repo.list(Scope::zone, "z1", 1, 50).total_count == i + 1);
        }
        // Readers on several threads at once, while the main connection writes.
        std::vector<std::thread> readers;
        std::atomic<int> bad{0};
        for (int t = 0; t < 4; ++t)
            readers.emplace_back([&] {
                for (int n = 0; n < 50; ++n) {
                    auto page = repo.list(Scope::zone, "z1", 2, 7);
                    if (page.items.size() != 7 || page.total_count < 30) ++bad;
                }
            });
        for (int i = 0; i < 10; ++i)
            repo.insert(make_csr("d" + std::to_string(i), Scope::zone, "z1", "2026-02-01T00:00:00.00000" + std::to_string(i) + "Z"), "K");
        for (auto& reader : readers) reader.join();
        CHECK(bad.load() == 0);
        CHECK(repo.list(Scope::zone, "z1", 1, 50).total_count == 40);
        CHECK(repo.remove(Scope::zone, "z1", "c100") == RemoveResult::removed);
        CHECK_FALSE(repo.find(Scope::zone, "z1", "c100"));
    }
    std::filesystem::remove_all(dir);
}
