// The rule the tutorial ends on: a custom CSR cannot be deleted while a custom hostname or a
// custom certificate uses its key (409 / 1420), and can be once they are deleted or re-pointed.
// Under concurrent attaches and deletes no reference to a deleted CSR may survive.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "crypto/csr.hpp"
#include "crypto/keys.hpp"
#include "storage/database.hpp"
#include "support/api_client.hpp"
#include "support/certificate_fixtures.hpp"
#include "support/csr_fixtures.hpp"
#include "support/server_process.hpp"

using namespace test_support;
using nlohmann::json;

namespace {

json in_use_ssl_for_csr(const std::string& csr_id, const std::string& chain) {
    return {{"custom_csr_id", csr_id}, {"custom_certificate", chain}};
}

std::string created_id(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE(response.status == 201);
    return response.json()["result"]["id"];
}

void check_in_use(ApiClient& client, const std::string& csr_id) {
    auto r = client.del(zone_csrs() + "/" + csr_id);
    check_failure(r, 409, 1420);
    // Retrying will not help: the SDKs that retry 409s are told not to.
    CHECK(r.header("x-should-retry") == std::optional<std::string>("false"));
    CHECK(client.get(zone_csrs() + "/" + csr_id).status == 200);
}

std::int64_t count(storage::Database& db, const std::string& sql) {
    storage::Statement s(db, sql);
    REQUIRE(s.step());
    return s.integer(0);
}

// Every page of a zone list.
json list_all(ApiClient& client, const std::string& path) {
    json all = json::array();
    for (int page = 1;; ++page) {
        auto body = client.get(path + "?per_page=50&page=" + std::to_string(page)).json();
        if (body["result"].empty()) return all;
        for (auto& item : body["result"]) all.push_back(item);
    }
}

}  // namespace

TEST_CASE("1420 with x-should-retry: false while a custom hostname uses the CSR; deletable once deleted or re-pointed") {
    ServerProcess server({"--key-pool", "0"});
    ApiClient client(server);
    auto csr = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
    std::string key_before = stored_csr_key(server.db_path(), csr.id);
    std::string chain = emulator_sign(client, csr.pem);
    std::string h1 = created_id(client.post(zone_hostnames(), {{"hostname", "app.acme.io"}, {"ssl", in_use_ssl_for_csr(csr.id, chain)}}));
    std::string h2 = created_id(client.post(zone_hostnames(), {{"hostname", "www.acme.io"}, {"ssl", in_use_ssl_for_csr(csr.id, chain)}}));
    check_in_use(client, csr.id);
    // The refused delete kept the CSR and its key.
    CHECK(stored_csr_key(server.db_path(), csr.id) == key_before);
    CHECK(client.get(zone_csrs() + "/" + csr.id).json()["result"]["csr"] == csr.pem);

    SUBCASE("the hostnames are deleted: in use until the last one goes") {
        CHECK(client.del(zone_hostnames() + "/" + h1).status == 200);
        check_in_use(client, csr.id);
        CHECK(client.del(zone_hostnames() + "/" + h2).status == 200);
    }
    SUBCASE("re-pointed: ssl replaced by a certificate with its own custom_key") {
        std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
        std::string own = emulator_sign(client, crypto::create_csr(subject_for("app.acme.io"), {"app.acme.io", "www.acme.io"}, key));
        for (const auto& id : {h1, h2}) {
            auto r = client.patch(zone_hostnames() + "/" + id, {{"ssl", {{"custom_certificate", own}, {"custom_key", key}}}});
            INFO(r.body);
            REQUIRE(r.status == 202);
            CHECK_FALSE(r.json()["result"]["ssl"].contains("custom_csr_id"));
            if (id == h1) check_in_use(client, csr.id);
        }
    }
    SUBCASE("ssl set to null releases nothing (no ssl sent); deleting the hostnames does") {
        for (const auto& id : {h1, h2}) {
            auto r = client.patch(zone_hostnames() + "/" + id, {{"ssl", nullptr}});
            INFO(r.body);
            REQUIRE(r.status == 202);
            CHECK(r.json()["result"]["ssl"]["custom_csr_id"] == csr.id);
            check_in_use(client, csr.id);
        }
        for (const auto& id : {h1, h2}) CHECK(client.del(zone_hostnames() + "/" + id).status == 200);
    }
    SUBCASE("re-pointed to another CSR of the zone, which is then the one in use") {
        auto second = create_zone_csr(client, {"app.acme.io", "www.acme.io"});
        std::string second_chain = emulator_sign(client, second.pem);
        for (const auto& id : {h1, h2})
            REQUIRE(client.patch(zone_hostnames() + "/" + id, {{"ssl", in_use_ssl_for_csr(second.id, second_chain)}}).status == 202);
        check_in_use(client, second.id);
    }
    SUBCASE("a custom certificate on the same CSR keeps it in use after the hostnames go") {
        auto cert = client.post(zone_certificates(), {{"certificate", emulator_sign(client, csr.pem)}, {"custom_csr_id", csr.id}});
        REQUIRE(cert.status == 200);
        CHECK(client.del(zone_hostnames() + "/" + h1).status == 200);
        CHECK(client.del(zone_hostnames() + "/" + h2).status == 200);
        check_in_use(client, csr.id);
        CHECK(client.del(zone_certificates() + "/" + cert.json()["result"]["id"].get<std::string>()).status == 200);
    }

    auto deleted = client.del(zone_csrs() + "/" + csr.id);
    CHECK(deleted.status == 200);
    CHECK(deleted.json()["result"] == json{{"id", csr.id}});
    check_failure(client.get(zone_csrs() + "/" + csr.id), 404, 1419);
    // Re-pointed hostnames outlive the CSR; and the CSR can no longer back a new one.
    for (const auto& h : list_all(client, zone_hostnames()))
        if (h.contains("ssl")) CHECK(h["ssl"].value("custom_csr_id", "") != csr.id);
    check_failure(client.post(zone_hostnames(), {{"hostname", "blog.acme.io"}, {"ssl", in_use_ssl_for_csr(csr.id, chain)}}), 404, 1431);
}

TEST_CASE("concurrent attaches to and deletes of CSRs leave no reference to a deleted CSR, and every answer is a documented one") {
    ServerProcess server({"--key-pool", "0", "--threads", "4"});
    ApiClient setup(server);

    enum class Kind { attach_hostname, attach_certificate, delete_csr };
    struct Op {
        Kind kind;
        int csr;                // index into csrs
        std::string hostname;   // attach_hostname
        std::string chain;      // the certificate to attach
        bool detach = false;    // attach_hostname: delete the hostname again at once
    };
    struct Outcome {
        int status = 0, code = 0;
        std::string id;  // the hostname or certificate created
        bool detached = false;
        std::optional<std::string> should_retry;
        std::chrono::steady_clock::time_point start, end;
    };

    // CSRs 0-4 race attaches against deletes; on the even ones each hostname is deleted again
    // right after it is attached, so they are free from time to time. CSR 5 only gets concurrent
    // deletes (exactly one may succeed); CSR 6 is in use from the start (every delete is 1420).
    const int racing = 5, delete_only = 5, held = 6;
    std::vector<ZoneCsr> csrs;
    std::vector<std::string> hostname_chains;
    for (int n = 0; n <= held; ++n) {
        std::string shop = "shop" + std::to_string(n) + ".acme.io";
        csrs.push_back(create_zone_csr(setup, {shop, "*." + shop}));
        hostname_chains.push_back(emulator_sign(setup, csrs.back().pem));
    }
    std::string held_hostname = created_id(setup.post(
        zone_hostnames(), {{"hostname", "held.shop6.acme.io"}, {"ssl", in_use_ssl_for_csr(csrs[held].id, hostname_chains[held])}}));

    std::vector<Op> ops;
    for (int n = 0; n < racing; ++n) {
        for (int k = 0; k < 30; ++k)
            ops.push_back({Kind::attach_hostname, n, "h" + std::to_string(k) + ".shop" + std::to_string(n) + ".acme.io",
                           hostname_chains[n], n % 2 == 0});
        // Custom certificates must each be a certificate of their own (1220 otherwise).
        for (int k = 0; k < 4; ++k) ops.push_back({Kind::attach_certificate, n, "", emulator_sign(setup, csrs[n].pem), false});
        for (int k = 0; k < 6; ++k) ops.push_back({Kind::delete_csr, n, "", "", false});
    }
    for (int k = 0; k < 3; ++k) ops.push_back({Kind::delete_csr, delete_only, "", "", false});
    for (int k = 0; k < 3; ++k) ops.push_back({Kind::delete_csr, held, "", "", false});
    std::shuffle(ops.begin(), ops.end(), std::mt19937(20261126));

    std::vector<Outcome> outcomes(ops.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        ApiClient client(server);
        for (std::size_t i = next++; i < ops.size(); i = next++) {
            const Op& op = ops[i];
            Outcome& out = outcomes[i];
            out.start = std::chrono::steady_clock::now();
            HttpResponse r;
            if (op.kind == Kind::attach_hostname)
                r = client.post(zone_hostnames(), {{"hostname", op.hostname}, {"ssl", in_use_ssl_for_csr(csrs[op.csr].id, op.chain)}});
            else if (op.kind == Kind::attach_certificate)
                r = client.post(zone_certificates(), {{"certificate", op.chain}, {"custom_csr_id", csrs[op.csr].id}});
            else
                r = client.del(zone_csrs() + "/" + csrs[op.csr].id);
            out.end = std::chrono::steady_clock::now();
            out.status = r.status;
            auto body = json::parse(r.body, nullptr, false);
            if (!body.is_discarded() && body.contains("errors") && !body["errors"].empty()) out.code = body["errors"][0].value("code", 0);
            if (!body.is_discarded() && (r.status == 200 || r.status == 201) && body["result"].is_object())
                out.id = body["result"].value("id", "");
            out.should_retry = r.header("x-should-retry");
            if (op.detach && r.status == 201)
                out.detached = client.del(zone_hostnames() + "/" + out.id).status == 200;
        }
    };
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

    // Every answer was a clean success or the documented error for the situation.
    std::map<std::string, int> tally;
    std::vector<bool> deleted(csrs.size(), false);
    std::vector<std::chrono::steady_clock::time_point> deleted_at(csrs.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        const Outcome& out = outcomes[i];
        CAPTURE(i);
        CAPTURE(out.status);
        CAPTURE(out.code);
        CHECK(out.status < 500);
        std::string what;
        if (op.kind == Kind::attach_hostname) {
            what = out.status == 201 ? "attach hostname: 201" : "attach hostname: 404/1431";
            CHECK(((out.status == 201 && out.id.size() == 36) || (out.status == 404 && out.code == 1431)));
            if (op.detach && out.status == 201) CHECK(out.detached);
        } else if (op.kind == Kind::attach_certificate) {
            what = out.status == 200 ? "attach certificate: 200" : "attach certificate: 404/1419";
            CHECK(((out.status == 200 && out.id.size() == 36) || (out.status == 404 && out.code == 1419)));
        } else {
            what = "delete CSR: " + std::to_string(out.status) + (out.code ? "/" + std::to_string(out.code) : "");
            CHECK(((out.status == 200) || (out.status == 409 && out.code == 1420) || (out.status == 404 && out.code == 1419)));
            if (out.status == 409) CHECK(out.should_retry == std::optional<std::string>("false"));
            if (out.status == 200) {
                CHECK_FALSE(deleted[op.csr]);  // one CSR, one successful delete
                deleted[op.csr] = true;
                deleted_at[op.csr] = out.end;
            }
        }
        ++tally[what];
    }
    // Nothing attached to a CSR in a request that began after its delete had been answered.
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        if (op.kind == Kind::delete_csr || !deleted[op.csr]) continue;
        bool succeeded = outcomes[i].status == 200 || outcomes[i].status == 201;
        if (outcomes[i].start > deleted_at[op.csr]) CHECK_FALSE(succeeded);
    }
    std::string summary;
    for (const auto& [what, n] : tally) summary += "\n  " + what + ": " + std::to_string(n);
    MESSAGE(ops.size() << " requests on 8 threads in " << elapsed.count() << " ms:" << summary);
    CHECK(deleted[delete_only]);
    CHECK_FALSE(deleted[held]);
    CHECK(tally["delete CSR: 409/1420"] >= 3);

    // Afterwards, over HTTP: every reference names a CSR that is there, and what was created
    // and not detached is there.
    ApiClient client(server);
    json hostnames = list_all(client, zone_hostnames());
    json certificates = list_all(client, zone_certificates());
    std::size_t expected_hostnames = 1, expected_certificates = 0;  // 1: the held hostname
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].kind == Kind::attach_hostname && outcomes[i].status == 201 && !outcomes[i].detached) ++expected_hostnames;
        if (ops[i].kind == Kind::attach_certificate && outcomes[i].status == 200) ++expected_certificates;
    }
    CHECK(hostnames.size() == expected_hostnames);
    CHECK(certificates.size() == expected_certificates);
    auto check_reference = [&](const std::string& csr_id) {
        CAPTURE(csr_id);
        CHECK(client.get(zone_csrs() + "/" + csr_id).status == 200);
        for (std::size_t n = 0; n < csrs.size(); ++n)
            if (csrs[n].id == csr_id) CHECK_FALSE(deleted[n]);
    };
    for (const auto& h : hostnames)
        if (h.contains("ssl") && h["ssl"].contains("custom_csr_id")) check_reference(h["ssl"]["custom_csr_id"]);
    for (const auto& c : certificates)
        if (c.contains("custom_csr_id")) check_reference(c["custom_csr_id"]);
    for (std::size_t n = 0; n < csrs.size(); ++n)
        CHECK(client.get(zone_csrs() + "/" + csrs[n].id).status == (deleted[n] ? 404 : 200));

    // And in the database file itself.
    {
        storage::Database db(server.db_path());
        CHECK(count(db, "SELECT count(*) FROM custom_hostnames h LEFT JOIN custom_csrs c ON c.id = h.custom_csr_id "
                        "WHERE h.custom_csr_id IS NOT NULL AND c.id IS NULL") == 0);
        CHECK(count(db, "SELECT count(*) FROM custom_certificates k LEFT JOIN custom_csrs c ON c.id = k.custom_csr_id "
                        "WHERE k.custom_csr_id IS NOT NULL AND c.id IS NULL") == 0);
        storage::Statement fk(db, "PRAGMA foreign_key_check");
        CHECK_FALSE(fk.step());
        CHECK(count(db, "SELECT count(*) FROM custom_hostnames") == static_cast<std::int64_t>(expected_hostnames));
    }

    // Once everything that uses them is gone, every remaining CSR deletes.
    for (const auto& h : hostnames) CHECK(client.del(zone_hostnames() + "/" + h["id"].get<std::string>()).status == 200);
    for (const auto& c : certificates) CHECK(client.del(zone_certificates() + "/" + c["id"].get<std::string>()).status == 200);
    for (std::size_t n = 0; n < csrs.size(); ++n)
        if (!deleted[n]) CHECK(client.del(zone_csrs() + "/" + csrs[n].id).status == 200);
    CHECK(client.get(zone_csrs()).json()["result"] == json::array());
    CHECK(server.stderr_text().find(" status=500") == std::string::npos);
    CHECK(server.stderr_text().find(" status=201") != std::string::npos);  // the access log is there to read
}
