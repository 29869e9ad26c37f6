// The whole-state repository: schema order, all-or-nothing import, resets that respect
// ON DELETE RESTRICT.
#include <doctest/doctest.h>

#include <algorithm>

#include "storage/csr_repository.hpp"
#include "storage/database.hpp"
#include "storage/state_repository.hpp"

namespace {

storage::CustomCsr csr(std::string id, storage::Scope scope, std::string scope_id) {
    storage::CustomCsr c;
    c.id = std::move(id);
    c.scope = scope;
    c.scope_id = std::move(scope_id);
    c.created_at = "2027-01-01T00:00:00.000000Z";
    c.key_type = "p256v1";
    c.country = "US";
    c.state = c.locality = c.organization = "x";
    c.common_name = "a.acme.io";
    c.sans = {"a.acme.io", "b.acme.io"};
    c.csr_pem = "CSR";
    return c;
}

std::int64_t rows_in(storage::Database& db, const std::string& table) {
    return storage::StateRepository(db).row_counts().at(table);
}

void use_csr(storage::Database& db, const std::string& hostname_id, const std::string& zone, const std::string& csr_id) {
    storage::Statement s(db,
                         "INSERT INTO custom_hostnames (id, zone_id, hostname, status, created_at, ownership_token, "
                         "custom_csr_id) VALUES (?, ?, ?, 'pending', 'now', 't', ?)");
    s.bind(1, hostname_id).bind(2, zone).bind(3, hostname_id + ".acme.io").bind(4, csr_id);
    s.run();
}

}  // namespace

TEST_CASE("the schema lists customer tables, parents before children, without the test CA") {
    storage::Database db(":memory:");
    auto schema = storage::StateRepository(db).schema();
    std::vector<std::string> names;
    for (const auto& t : schema) names.push_back(t.name);
    auto at = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
    CHECK(std::find(names.begin(), names.end(), "test_ca") == names.end());
    CHECK(at("custom_csrs") < at("custom_csr_sans"));
    CHECK(at("custom_csrs") < at("custom_hostnames"));
    CHECK(at("custom_csrs") < at("custom_certificates"));
}

TEST_CASE("export then import into another database gives the same rows; a failing import changes nothing") {
    storage::Database source(":memory:");
    storage::CsrRepository(source).insert(csr("c1", storage::Scope::zone, "z1"), "KEY");
    use_csr(source, "h1", "z1", "c1");
    auto rows = storage::StateRepository(source).export_state();

    storage::Database target(":memory:");
    storage::CsrRepository(target).insert(csr("old", storage::Scope::zone, "z9"), "KEY");
    storage::StateRepository(target).import_state(rows);
    CHECK(storage::StateRepository(target).export_state() == rows);
    CHECK(storage::CsrRepository(target).find(storage::Scope::zone, "z1", "c1")->sans ==
          std::vector<std::string>{"a.acme.io", "b.acme.io"});

    auto broken = rows;
    for (auto& t : broken)
        if (t.table == "custom_csrs") t.rows.push_back(t.rows.front());  // duplicate primary key
    CHECK_THROWS_AS(storage::StateRepository(target).import_state(broken), storage::Error);
    CHECK(storage::StateRepository(target).export_state() == rows);
    CHECK_THROWS_AS(storage::StateRepository(target).import_state({{"nope", {}, {}}}), storage::Error);
}

TEST_CASE("a CSR's stored JSON is no part of the state: left out of a snapshot, refused in an import") {
    storage::Database source(":memory:");
    storage::CsrRepository(source).insert(csr("c1", storage::Scope::zone, "z1"), "KEY", R"({"id":"c1"})");
    auto rows = storage::StateRepository(source).export_state();
    auto csrs = std::find_if(rows.begin(), rows.end(), [](const auto& t) { return t.table == "custom_csrs"; });
    REQUIRE(csrs != rows.end());
    REQUIRE(csrs->rows.size() == 1);
    CHECK(std::find(csrs->columns.begin(), csrs->columns.end(), "shown_json") == csrs->columns.end());
    CHECK(std::find(csrs->columns.begin(), csrs->columns.end(), "csr_pem") != csrs->columns.end());

    storage::Database target(":memory:");
    storage::StateRepository(target).import_state(rows);
    // Loaded without it: shown from its fields, which a document may have edited.
    auto shown = storage::CsrRepository(target).find_shown(storage::Scope::zone, "z1", "c1");
    REQUIRE(shown);
    CHECK(shown->json.empty());
    REQUIRE(shown->fields);
    CHECK(shown->fields->sans == std::vector<std::string>{"a.acme.io", "b.acme.io"});

    auto naming_it = rows;
    for (auto& t : naming_it)
        if (t.table == "custom_csrs") {
            t.columns.push_back("shown_json");
            for (auto& row : t.rows) row.emplace_back(std::string(R"({"id":"stale"})"));
        }
    storage::Database other(":memory:");
    CHECK_THROWS_AS(storage::StateRepository(other).import_state(naming_it), storage::Error);
    CHECK(storage::StateRepository(other).row_counts().at("custom_csrs") == 0);
}

TEST_CASE("resets delete what uses a CSR before the CSR, and keep the rest") {
    storage::Database db(":memory:");
    storage::CsrRepository csrs(db);
    csrs.insert(csr("z1csr", storage::Scope::zone, "z1"), "KEY");
    csrs.insert(csr("z2csr", storage::Scope::zone, "z2"), "KEY");
    csrs.insert(csr("acsr", storage::Scope::account, "a1"), "KEY");
    use_csr(db, "h1", "z1", "z1csr");
    use_csr(db, "h2", "z2", "acsr");  // a zone's hostname on an account CSR
    storage::StateRepository state(db);

    CHECK(state.reset_zone("z1") == 4);  // hostname, CSR, its two SANs
    CHECK(rows_in(db, "custom_csrs") == 2);
    CHECK(state.reset_account("a1") > 0);
    CHECK(rows_in(db, "custom_csrs") == 1);
    CHECK(rows_in(db, "custom_hostnames") == 0);

    db.exec("INSERT INTO test_ca VALUES ('fp', 'now', 'root', NULL, 'int', 'key')");
    state.reset_all(true);
    CHECK(rows_in(db, "custom_csrs") == 0);
    CHECK(storage::StateRepository(db).row_counts().count("test_ca") == 0);
    storage::Statement ca(db, "SELECT COUNT(*) FROM test_ca");
    ca.step();
    CHECK(ca.integer(0) == 1);
    state.reset_all(false);
    ca.reset();
    ca.step();
    CHECK(ca.integer(0) == 0);
}
