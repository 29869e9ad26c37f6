// What the edge serves from the database, without a socket: a hostname's issued DV certificates
// (both, so the handshake picks by what the client offers) when it has no uploaded one, and the
// zone's fallback origin once it is active. Rows are written here as the API would leave them.
#include <doctest/doctest.h>

#include "api/edge/certificate_selector.hpp"
#include "api/edge/origin_route.hpp"
#include "crypto/emulator_ca.hpp"
#include "crypto/keys.hpp"
#include "storage/database.hpp"
#include "storage/edge_repository.hpp"
#include "storage/fallback_origin_repository.hpp"

namespace {

const std::string sources_zone = "023e105f4ecef8ad9ca31a8372d0c353";
constexpr std::int64_t sources_issued_at = 1767225600;  // the handshakes here never verify dates
constexpr std::int64_t sources_day = 86400;

struct Pair {
    std::string key, chain;
};
Pair self_signed(crypto::KeyType type, const std::string& name) {
    std::string key = crypto::generate_private_key(type);
    return {key, crypto::create_self_signed(key, {name}, {sources_issued_at - sources_day, sources_issued_at + 90 * sources_day, "sha256"})};
}

// An active DV hostname as the lifecycle leaves it: no uploaded certificate, the issued pair.
void insert_dv_hostname(storage::Database& db, const std::string& id, const std::string& name, const Pair& ecdsa,
                        const Pair& rsa, const std::string& status = "active") {
    storage::Statement s(db,
                         "INSERT INTO custom_hostnames (id, zone_id, hostname, status, created_at, ownership_token, "
                         "ssl_id, ssl_status, ssl_method, ssl_type, dv_ecdsa_chain_pem, dv_ecdsa_private_key_pem, "
                         "dv_rsa_chain_pem, dv_rsa_private_key_pem) "
                         "VALUES (?, ?, ?, ?, '2026-11-30T10:00:00.000000Z', 'token', ?, ?, 'http', 'dv', ?, ?, ?, ?)");
    s.bind(1, id).bind(2, sources_zone).bind(3, name).bind(4, status).bind(5, id + "-ssl").bind(6, status);
    s.bind(7, ecdsa.chain).bind(8, ecdsa.key).bind(9, rsa.chain).bind(10, rsa.key);
    s.step();
}

}  // namespace

TEST_CASE("edge: an active DV hostname is served its issued ECDSA and RSA certificates") {
    storage::Database db(":memory:");
    auto ecdsa = self_signed(crypto::KeyType::p256v1, "dv.edge-test.io");
    auto rsa = self_signed(crypto::KeyType::rsa2048, "dv.edge-test.io");
    insert_dv_hostname(db, "11111111-1111-4111-8111-111111111111", "dv.edge-test.io", ecdsa, rsa);

    storage::EdgeRepository repository(db);
    auto rows = repository.hostnames_named({"dv.edge-test.io"});
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].certificates.size() == 2);
    CHECK(rows[0].certificates[0].chain_pem == ecdsa.chain);  // ECDSA first: the primary
    CHECK(rows[0].certificates[0].private_key_pem == ecdsa.key);
    CHECK(rows[0].certificates[1].chain_pem == rsa.chain);
    CHECK(rows[0].certificates[1].private_key_pem == rsa.key);

    api::edge::CertificateSelector selector(db);
    auto selection = selector.select("dv.edge-test.io");
    REQUIRE(selection);
    CHECK(selection->identity != nullptr);
    // The same pair again is the cached context, not a new one.
    CHECK(selector.select("dv.edge-test.io")->identity == selection->identity);
    CHECK(selector.cached_identities() == 1);

    SUBCASE("nothing is served while the hostname is still pending") {
        insert_dv_hostname(db, "22222222-2222-4222-8222-222222222222", "pending.edge-test.io",
                           self_signed(crypto::KeyType::p256v1, "pending.edge-test.io"),
                           self_signed(crypto::KeyType::rsa2048, "pending.edge-test.io"), "pending");
        CHECK_FALSE(selector.select("pending.edge-test.io"));
    }
    SUBCASE("an uploaded certificate wins over the issued ones") {
        auto uploaded = self_signed(crypto::KeyType::p256v1, "dv.edge-test.io");
        storage::Statement s(db,
                             "UPDATE custom_hostnames SET cert_chain_pem = ?, cert_private_key_pem = ?, "
                             "cert_fingerprint_sha256 = 'ab' WHERE hostname = 'dv.edge-test.io'");
        s.bind(1, uploaded.chain).bind(2, uploaded.key);
        s.step();
        auto after = repository.hostnames_named({"dv.edge-test.io"});
        REQUIRE(after.size() == 1);
        REQUIRE(after[0].certificates.size() == 1);
        CHECK(after[0].certificates[0].chain_pem == uploaded.chain);
    }
}

TEST_CASE("edge: the zone's fallback origin routes a hostname without custom_origin_server, once active") {
    storage::Database db(":memory:");
    insert_dv_hostname(db, "11111111-1111-4111-8111-111111111111", "dv.edge-test.io",
                       self_signed(crypto::KeyType::p256v1, "dv.edge-test.io"),
                       self_signed(crypto::KeyType::rsa2048, "dv.edge-test.io"));
    storage::EdgeRepository repository(db);
    storage::FallbackOriginRepository origins(db);
    using Outcome = api::edge::OriginRoute::Outcome;

    CHECK(repository.fallback_origin(sources_zone) == std::nullopt);
    CHECK(api::edge::route_for_host(repository, "dv.edge-test.io").outcome == Outcome::no_origin);

    origins.put({sources_zone, "fallback.saas.io", "pending_deployment", "[]", "2026-11-30T10:00:00.000000Z",
                 "2026-11-30T10:00:00.000000Z"});
    CHECK(repository.fallback_origin(sources_zone) == std::nullopt);  // not deployed yet: still 1016
    CHECK(api::edge::route_for_host(repository, "dv.edge-test.io").outcome == Outcome::no_origin);

    origins.set_status(sources_zone, "pending_deployment", "active", "[]", "2026-11-30T10:00:01.000000Z");
    CHECK(repository.fallback_origin(sources_zone) == std::optional<std::string>("fallback.saas.io"));
    auto route = api::edge::route_for_host(repository, "DV.edge-test.io:8443");
    CHECK(route.outcome == Outcome::origin);
    CHECK(route.origin == "fallback.saas.io");
    CHECK(repository.fallback_origin("another-zone") == std::nullopt);

    SUBCASE("a custom_origin_server wins over the fallback origin") {
        db.exec("UPDATE custom_hostnames SET custom_origin_server = 'origin.saas.io'");
        CHECK(api::edge::route_for_host(repository, "dv.edge-test.io").origin == "origin.saas.io");
    }
    SUBCASE("a fallback origin on its way out no longer takes traffic") {
        origins.set_status(sources_zone, "active", "pending_deletion", "[]", "2026-11-30T10:00:02.000000Z");
        CHECK(repository.fallback_origin(sources_zone) == std::nullopt);
    }
}

TEST_CASE("migration 7 holds the index the edge's lookup by name uses") {
    storage::Database db(":memory:");
    storage::Statement s(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'custom_hostnames_by_hostname'");
    REQUIRE(s.step());
    CHECK(s.integer(0) == 1);
}
