// A CSR whose key backs a custom hostname or a custom certificate cannot be deleted, and a
// hostname or certificate can only reference a CSR of its own zone: the foreign keys and the
// repositories' transactions, without the API above them.
#include <doctest/doctest.h>

#include "storage/certificate_repository.hpp"
#include "storage/csr_repository.hpp"
#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"
#include "support/certificate_rows.hpp"
#include "support/csr_rows.hpp"
#include "support/sql_scalar.hpp"

using namespace storage;
using test_support::make_certificate;
using test_support::make_csr;
using test_support::query_integer;

namespace {

const std::string zone_a = "zone-a";
const std::string zone_b = "zone-b";

// A hostname whose certificate was issued for `csr_id` (or has its own key when csr_id is empty).
CustomHostname make_hostname(const std::string& id, const std::string& hostname, const std::string& csr_id,
                             const std::string& zone = zone_a) {
    CustomHostname h;
    h.id = id;
    h.zone_id = zone;
    h.hostname = hostname;
    h.status = "active";
    h.created_at = "2026-01-01T00:00:00.000001Z";
    h.ownership_token = "token-" + id;
    HostnameSsl ssl;
    ssl.id = "ssl-" + id;
    ssl.status = "active";
    ssl.method = "http";
    ssl.type = "dv";
    ssl.bundle_method = "ubiquitous";
    ssl.uploaded_on = "2026-01-01T00:00:00Z";
    ssl.certificate = make_certificate("fp-" + id);
    if (csr_id.empty()) ssl.certificate->private_key_pem = "KEY";
    else ssl.custom_csr_id = csr_id;
    h.ssl = ssl;
    return h;
}

CustomCertificate make_custom_certificate(const std::string& id, const std::string& csr_id,
                                          const std::string& zone = zone_a) {
    CustomCertificate c;
    c.id = id;
    c.zone_id = zone;
    c.type = "legacy_custom";
    c.bundle_method = "ubiquitous";
    c.deploy = "production";
    c.uploaded_on = c.modified_on = "2026-01-01T00:00:00Z";
    c.certificate = make_certificate("fp-" + id);
    if (csr_id.empty()) c.certificate.private_key_pem = "KEY";
    else c.custom_csr_id = csr_id;
    return c;
}

// No row references a CSR that is not there.
void check_no_dangling_reference(Database& db) {
    CHECK(query_integer(db, "SELECT count(*) FROM custom_hostnames h LEFT JOIN custom_csrs c ON c.id = h.custom_csr_id "
                    "WHERE h.custom_csr_id IS NOT NULL AND c.id IS NULL") == 0);
    CHECK(query_integer(db, "SELECT count(*) FROM custom_certificates k LEFT JOIN custom_csrs c ON c.id = k.custom_csr_id "
                    "WHERE k.custom_csr_id IS NOT NULL AND c.id IS NULL") == 0);
    Statement check(db, "PRAGMA foreign_key_check");
    CHECK_FALSE(check.step());
}

// A database in memory and the three repositories whose rows reference a CSR.
struct CsrReferences {
    Database db{":memory:"};
    CsrRepository csrs{db};
    HostnameRepository hostnames{db};
    CertificateRepository certificates{db};
};

}  // namespace

TEST_CASE_FIXTURE(CsrReferences, "CsrRepository::remove is in_use while a custom hostname references the CSR") {
    csrs.insert(make_csr("csr-1"), "CSR-KEY");
    REQUIRE(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-1")) == WriteResult::ok);
    REQUIRE(hostnames.insert(make_hostname("h2", "www.acme.io", "csr-1")) == WriteResult::ok);

    CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
    // The refused delete took nothing with it: not the CSR, its SANs or its key.
    auto kept = csrs.find(Scope::zone, zone_a, "csr-1");
    REQUIRE(kept);
    CHECK(kept->sans == std::vector<std::string>{"app.acme.io", "www.acme.io", "acme.io"});
    CHECK(query_integer(db, "SELECT count(*) FROM custom_csrs WHERE private_key_pem = 'CSR-KEY'") == 1);

    SUBCASE("deleted: in use until the last hostname is gone") {
        CHECK(hostnames.remove(zone_a, "h1"));
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
        CHECK(hostnames.remove(zone_a, "h2"));
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
        CHECK_FALSE(csrs.find(Scope::zone, zone_a, "csr-1"));
        CHECK(query_integer(db, "SELECT count(*) FROM custom_csr_sans") == 0);
    }
    SUBCASE("re-pointed: one hostname to a certificate with its own key, the other to no certificate") {
        CHECK(hostnames.update(make_hostname("h1", "app.acme.io", "")) == WriteResult::ok);
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
        auto h2 = make_hostname("h2", "www.acme.io", "csr-1");
        h2.ssl.reset();
        CHECK(hostnames.update(h2) == WriteResult::ok);
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
        // The hostnames stay, with nothing pointing at the deleted CSR.
        CHECK(hostnames.find(zone_a, "h1"));
        CHECK(hostnames.find(zone_a, "h2"));
    }
    SUBCASE("re-pointed to another CSR of the zone") {
        csrs.insert(make_csr("csr-2"), "OTHER-KEY");
        CHECK(hostnames.update(make_hostname("h1", "app.acme.io", "csr-2")) == WriteResult::ok);
        CHECK(hostnames.update(make_hostname("h2", "www.acme.io", "csr-2")) == WriteResult::ok);
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-2") == RemoveResult::in_use);
    }
    check_no_dangling_reference(db);
}

TEST_CASE_FIXTURE(CsrReferences, "CsrRepository::remove is in_use while a custom certificate references the CSR") {
    csrs.insert(make_csr("csr-1"), "CSR-KEY");
    REQUIRE(certificates.insert(make_custom_certificate("c1", "csr-1")) == WriteResult::ok);

    CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
    CHECK(csrs.find(Scope::zone, zone_a, "csr-1"));

    SUBCASE("deleted") {
        CHECK(certificates.remove(zone_a, "c1"));
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
    }
    SUBCASE("re-pointed: replaced by a certificate with its own private key") {
        CHECK(certificates.replace("c1", make_custom_certificate("c1", "")) == WriteResult::ok);
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
        REQUIRE(certificates.find(zone_a, "c1"));
        CHECK_FALSE(certificates.find(zone_a, "c1")->custom_csr_id);
    }
    SUBCASE("replaced under a new id (sni_custom edit), still for the CSR") {
        CHECK(certificates.replace("c1", make_custom_certificate("c2", "csr-1")) == WriteResult::ok);
        CHECK_FALSE(certificates.find(zone_a, "c1"));
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
        CHECK(certificates.remove(zone_a, "c2"));
        CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
    }
    check_no_dangling_reference(db);
}

TEST_CASE_FIXTURE(CsrReferences, "a hostname and a certificate on the same CSR: in use until both let go") {
    csrs.insert(make_csr("csr-1"), "k");
    REQUIRE(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-1")) == WriteResult::ok);
    REQUIRE(certificates.insert(make_custom_certificate("c1", "csr-1")) == WriteResult::ok);
    CHECK(hostnames.remove(zone_a, "h1"));
    CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
    CHECK(certificates.remove(zone_a, "c1"));
    CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::removed);
    // A missing CSR is not_found, in use or not.
    CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::not_found);
}

TEST_CASE_FIXTURE(CsrReferences, "a CSR is in use only through references to it, not to another CSR of the zone") {
    csrs.insert(make_csr("csr-1"), "k1");
    csrs.insert(make_csr("csr-2"), "k2");
    REQUIRE(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-1")) == WriteResult::ok);
    CHECK(csrs.remove(Scope::zone, zone_a, "csr-2") == RemoveResult::removed);
    CHECK(csrs.remove(Scope::zone, zone_a, "csr-1") == RemoveResult::in_use);
}

TEST_CASE_FIXTURE(CsrReferences, "a hostname or certificate may only reference a CSR of its own zone: csr_not_found otherwise") {
    csrs.insert(make_csr("csr-b", Scope::zone, zone_b), "kb");
    // An account's CSR whose account id happens to equal the zone id is still not the zone's.
    csrs.insert(make_csr("csr-account", Scope::account, zone_a), "ka");
    csrs.insert(make_csr("csr-a"), "k");

    SUBCASE("HostnameRepository::insert") {
        CHECK(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-b")) == WriteResult::csr_not_found);
        CHECK(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-account")) == WriteResult::csr_not_found);
        CHECK(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-missing")) == WriteResult::csr_not_found);
        CHECK(query_integer(db, "SELECT count(*) FROM custom_hostnames") == 0);
        // The zone's own CSR is accepted; zone B may use csr-b.
        CHECK(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-a")) == WriteResult::ok);
        CHECK(hostnames.insert(make_hostname("h2", "app.acme.io", "csr-b", zone_b)) == WriteResult::ok);
    }
    SUBCASE("HostnameRepository::update leaves the row as it was") {
        REQUIRE(hostnames.insert(make_hostname("h1", "app.acme.io", "csr-a")) == WriteResult::ok);
        CHECK(hostnames.update(make_hostname("h1", "app.acme.io", "csr-b")) == WriteResult::csr_not_found);
        CHECK(hostnames.update(make_hostname("h1", "app.acme.io", "csr-missing")) == WriteResult::csr_not_found);
        auto kept = hostnames.find(zone_a, "h1");
        REQUIRE(kept);
        REQUIRE(kept->ssl);
        CHECK(kept->ssl->custom_csr_id == std::optional<std::string>("csr-a"));
        CHECK(hostnames.update(make_hostname("h-unknown", "x.acme.io", "csr-a")) == WriteResult::not_found);
    }
    SUBCASE("CertificateRepository::insert and replace") {
        CHECK(certificates.insert(make_custom_certificate("c1", "csr-b")) == WriteResult::csr_not_found);
        CHECK(certificates.insert(make_custom_certificate("c1", "csr-missing")) == WriteResult::csr_not_found);
        CHECK(query_integer(db, "SELECT count(*) FROM custom_certificates") == 0);
        REQUIRE(certificates.insert(make_custom_certificate("c1", "csr-a")) == WriteResult::ok);
        // A failed replace keeps the previous row.
        CHECK(certificates.replace("c1", make_custom_certificate("c2", "csr-missing")) == WriteResult::csr_not_found);
        CHECK(certificates.find(zone_a, "c1"));
        CHECK_FALSE(certificates.find(zone_a, "c2"));
    }
    check_no_dangling_reference(db);
}

TEST_CASE("the foreign keys hold even for SQL that skips the repositories") {
    Database db(":memory:");
    CHECK_THROWS_AS(db.exec("INSERT INTO custom_certificates (id, zone_id, type, bundle_method, deploy, priority, "
                            "uploaded_on, modified_on, custom_csr_id, cert_chain_pem, cert_issuer, cert_serial_number, "
                            "cert_signature, cert_not_before, cert_not_after, cert_hosts, cert_fingerprint_sha256) "
                            "VALUES ('c', 'z', 't', 'b', 'd', 1, 'u', 'm', 'no-such-csr', 'p', 'i', 's', 'g', 'nb', "
                            "'na', 'h', 'f')"),
                    Error);
    CsrRepository csrs(db);
    csrs.insert(make_csr("csr-1"), "k");
    db.exec("INSERT INTO custom_hostnames (id, zone_id, hostname, status, created_at, ownership_token, custom_csr_id) "
            "VALUES ('h', 'zone-a', 'app.acme.io', 'active', 'c', 'o', 'csr-1')");
    CHECK_THROWS_AS(db.exec("DELETE FROM custom_csrs WHERE id = 'csr-1'"), Error);
    check_no_dangling_reference(db);
}

TEST_CASE("duplicate hostname in a zone: duplicate_hostname; the same name in another zone is fine") {
    Database db(":memory:");
    HostnameRepository hostnames(db);
    auto first = make_hostname("h1", "app.acme.io", "");
    REQUIRE(hostnames.insert(first) == WriteResult::ok);
    CHECK(hostnames.insert(make_hostname("h2", "app.acme.io", "")) == WriteResult::duplicate_hostname);
    CHECK(hostnames.insert(make_hostname("h3", "app.acme.io", "", zone_b)) == WriteResult::ok);
    CHECK(query_integer(db, "SELECT count(*) FROM custom_hostnames WHERE zone_id = 'zone-a'") == 1);
    CHECK(hostnames.find(zone_a, "h1")->ownership_token == first.ownership_token);
}

TEST_CASE("the same leaf twice in a zone is duplicate_certificate, checked in the write's transaction") {
    Database db(":memory:");
    CertificateRepository certificates(db);
    auto first = make_custom_certificate("c1", "");
    REQUIRE(certificates.insert(first) == WriteResult::ok);
    auto again = make_custom_certificate("c2", "");
    again.certificate = first.certificate;
    CHECK(certificates.insert(again) == WriteResult::duplicate_certificate);
    // Another zone may hold the same certificate.
    again.zone_id = "another-zone";
    CHECK(certificates.insert(again) == WriteResult::ok);
    // Replacing a row with itself (an edit that keeps the certificate, even under a new id) is fine.
    auto renamed = first;
    renamed.id = "c1-new";
    CHECK(certificates.replace("c1", renamed) == WriteResult::ok);
    CHECK_FALSE(certificates.find(zone_a, "c1"));
    CHECK(certificates.find(zone_a, "c1-new"));
    CHECK(query_integer(db, "SELECT count(*) FROM custom_certificates") == 2);
}
