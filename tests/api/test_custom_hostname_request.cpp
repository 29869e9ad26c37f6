// Custom hostname create and edit bodies without a socket: one SUBCASE per documented rule,
// named for its code, asserting that code.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/request.hpp"
#include "api/errors.hpp"
#include "support/refusal.hpp"

using nlohmann::json;

namespace {

const std::string hostname_csr_id = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";

// The code a body is refused with (0: accepted); 1439 is a 409, every other rule a 400.
int hostname_code_of(const std::function<void()>& read) {
    auto r = test_support::refusal_of(read);
    if (r.code) CHECK(r.status == (r.code == 1439 ? 409 : 400));
    return r.code;
}
int hostname_create_code(const json& body) {
    return hostname_code_of([&] { api::read_custom_hostname_request(body); });
}
int hostname_edit_code(const json& body, const std::string& hostname = "app.acme.io") {
    return hostname_code_of([&] { api::read_custom_hostname_edit(body, hostname); });
}

json with_ssl(const json& ssl) { return {{"hostname", "app.acme.io"}, {"ssl", ssl}}; }
json with_settings(const json& settings) {
    return with_ssl({{"custom_csr_id", hostname_csr_id}, {"custom_certificate", "PEM"}, {"settings", settings}});
}

}  // namespace

TEST_CASE("a valid create body is read field by field") {
    auto request = api::read_custom_hostname_request({{"hostname", "App.Acme.IO"},
                                                      {"custom_metadata", {{"plan", "pro"}}},
                                                      {"custom_origin_server", "Origin.Acme.io"},
                                                      {"custom_origin_sni", "sni.acme.io"},
                                                      {"ssl",
                                                       {{"custom_csr_id", hostname_csr_id},
                                                        {"custom_certificate", "PEM"},
                                                        {"bundle_method", "force"},
                                                        {"settings", {{"http2", "on"}, {"tls_1_3", nullptr}}}}}});
    CHECK(request.hostname == "app.acme.io");
    CHECK(request.custom_metadata == std::optional<std::string>(R"({"plan":"pro"})"));
    CHECK(request.custom_origin_server == std::optional<std::string>("origin.acme.io"));
    CHECK(request.custom_origin_sni == std::optional<std::string>("sni.acme.io"));
    REQUIRE(request.ssl);
    CHECK_FALSE(request.ssl->managed());
    CHECK(request.ssl->bundle_method == "force");
    CHECK(request.ssl->method == "http");
    CHECK(request.ssl->custom_csr_id == std::optional<std::string>(hostname_csr_id));
    CHECK(request.ssl->settings == std::optional<std::string>(R"({"http2":"on"})"));  // nulls dropped

    auto managed = api::read_custom_hostname_request(with_ssl({{"method", "txt"}, {"type", "dv"}}));
    REQUIRE(managed.ssl);
    CHECK(managed.ssl->managed());
    CHECK(managed.ssl->method == "txt");
    CHECK_FALSE(api::read_custom_hostname_request({{"hostname", "app.acme.io"}}).ssl);
}

TEST_CASE("hostname rules 1407-1411, and 1400 for a body field of the wrong type") {
    SUBCASE("1407: invalid custom hostname (special characters, IP address, missing, too long)") {
        CHECK(hostname_create_code({{"hostname", "bad_host!.acme.io"}}) == 1407);
        CHECK(hostname_create_code({{"hostname", "192.0.2.1"}}) == 1407);
        CHECK(hostname_create_code({{"hostname", "-app.acme.io"}}) == 1407);
        CHECK(hostname_create_code({{"hostname", std::string(250, 'a') + ".acme.io"}}) == 1407);
        CHECK(hostname_create_code(json::object()) == 1407);
    }
    SUBCASE("1408: non-ASCII characters") { CHECK(hostname_create_code({{"hostname", "b\xc3\xbc" "cher.acme.io"}}) == 1408); }
    SUBCASE("1409: reserved top domain") {
        CHECK(hostname_create_code({{"hostname", "app.acme.test"}}) == 1409);
        CHECK(hostname_create_code({{"hostname", "app.localhost"}}) == 1409);
    }
    SUBCASE("1410: publicsuffix cannot parse it") {
        CHECK(hostname_create_code({{"hostname", "co.uk"}}) == 1410);
        CHECK(hostname_create_code({{"hostname", "foo.notarealtld"}}) == 1410);
    }
    SUBCASE("1411: ends in example.com, example.net or example.org") {
        CHECK(hostname_create_code({{"hostname", "app.example.com"}}) == 1411);
        CHECK(hostname_create_code({{"hostname", "app.example.org"}}) == 1411);
    }
    SUBCASE("1400: hostname, ssl or one of its fields of the wrong type") {
        CHECK(hostname_create_code({{"hostname", 42}}) == 1400);
        CHECK(hostname_create_code(with_ssl("on")) == 1400);
        CHECK(hostname_create_code(with_ssl({{"custom_certificate", 1}})) == 1400);
        CHECK(hostname_create_code(with_ssl({{"wildcard", "yes"}})) == 1400);
        CHECK(hostname_create_code(with_settings("on")) == 1400);
    }
}

TEST_CASE("custom_metadata and the origin server") {
    SUBCASE("1401: custom_metadata that is not an object of strings") {
        CHECK(hostname_create_code({{"hostname", "app.acme.io"}, {"custom_metadata", "text"}}) == 1401);
        CHECK(hostname_create_code({{"hostname", "app.acme.io"}, {"custom_metadata", {{"n", 1}}}}) == 1401);
    }
    SUBCASE("1412: custom_metadata on a wildcard hostname") {
        CHECK(hostname_create_code({{"hostname", "*.acme.io"}, {"custom_metadata", {{"k", "v"}}}}) == 1412);
    }
    auto origin = [](const std::string& name) { return hostname_create_code({{"hostname", "app.acme.io"}, {"custom_origin_server", name}}); };
    SUBCASE("1415-1420: the origin server's own codes") {
        CHECK(origin("bad!.acme.io") == 1415);
        CHECK(origin("b\xc3\xbc" "cher.acme.io") == 1416);
        CHECK(origin("o.acme.test") == 1417);
        CHECK(origin("co.uk") == 1418);
        CHECK(origin("o.example.com") == 1419);
        CHECK(origin("*.acme.io") == 1420);
    }
    SUBCASE("a valid origin server, or none") {
        CHECK(origin("origin.acme.io") == 0);
        CHECK(origin("") == 0);  // "" means none
    }
}

TEST_CASE("custom_origin_sni: a DNS name under the origin server's rules, or :request_host_header:") {
    auto sni = [](const json& value) {
        return hostname_create_code({{"hostname", "app.acme.io"}, {"custom_origin_server", "origin.acme.io"}, {"custom_origin_sni", value}});
    };
    auto with_origin = [](const json& value) {
        return json{{"hostname", "app.acme.io"}, {"custom_origin_server", "origin.acme.io"}, {"custom_origin_sni", value}};
    };
    SUBCASE("1415: without custom_origin_server (the fallback origin's SNI is not configurable)") {
        auto r = test_support::refusal_of(
            [] { api::read_custom_hostname_request({{"hostname", "app.acme.io"}, {"custom_origin_sni", "sni.acme.io"}}); });
        CHECK(r.status == 400);
        CHECK(r.code == 1415);
        CHECK(r.message.find("not configurable with the fallback origin") != std::string::npos);
        CHECK(hostname_create_code({{"hostname", "app.acme.io"}, {"custom_origin_sni", ":request_host_header:"}}) == 1415);
    }
    SUBCASE("1415-1420: the origin server's codes") {
        CHECK(sni("bad!.acme.io") == 1415);
        CHECK(sni("has space.acme.io") == 1415);
        CHECK(sni("b\xc3\xbc" "cher.acme.io") == 1416);
        CHECK(sni("o.acme.test") == 1417);
        CHECK(sni("co.uk") == 1418);
        CHECK(sni("o.example.com") == 1419);
        CHECK(sni("*.acme.io") == 1420);
        CHECK(sni(":request_host:") == 1415);
    }
    SUBCASE("the message names the field") {
        auto r = test_support::refusal_of(
            [&] { api::read_custom_hostname_request(with_origin("bad!.acme.io")); });
        CHECK(r.message.find("(custom_origin_sni)") != std::string::npos);
    }
    SUBCASE("1400: not a string") { CHECK(sni(42) == 1400); }
    SUBCASE("valid: a name (lowercased), the placeholder, or none") {
        CHECK(sni("SNI.acme.io") == 0);
        CHECK(api::read_custom_hostname_request(with_origin("SNI.acme.io")).custom_origin_sni ==
              std::optional<std::string>("sni.acme.io"));
        CHECK(api::read_custom_hostname_request(with_origin(":request_host_header:"))
                  .custom_origin_sni == std::optional<std::string>(":request_host_header:"));
        CHECK(sni("") == 0);
    }
    SUBCASE("an edit checks it the same way") {
        CHECK(hostname_edit_code({{"custom_origin_sni", "o.example.com"}}) == 1419);
        CHECK(hostname_edit_code({{"custom_origin_sni", ":request_host_header:"}}) == 0);
    }
}

TEST_CASE("ssl: method, type, bundle_method and the managed-certificate rules") {
    SUBCASE("1440: method without type") { CHECK(hostname_create_code(with_ssl({{"method", "txt"}})) == 1440); }
    SUBCASE("1432: an unknown method") { CHECK(hostname_create_code(with_ssl({{"method", "dns"}, {"type", "dv"}})) == 1432); }
    SUBCASE("1433: a type other than dv") { CHECK(hostname_create_code(with_ssl({{"method", "txt"}, {"type", "ov"}})) == 1433); }
    SUBCASE("a wildcard managed certificate validated by TXT is accepted") {
        CHECK(hostname_create_code(with_ssl({{"method", "txt"}, {"type", "dv"}, {"wildcard", true}})) == 0);
        CHECK(hostname_create_code({{"hostname", "*.acme.io"}, {"ssl", {{"method", "txt"}, {"type", "dv"}}}}) == 0);
        auto read = api::read_custom_hostname_request(with_ssl({{"method", "txt"}, {"type", "dv"}, {"wildcard", true}}));
        CHECK(read.ssl->wildcard);
        CHECK(read.ssl->wildcard_given);
    }
    SUBCASE("1448: a wildcard (ssl.wildcard or a \"*.\" hostname) validated otherwise than by TXT") {
        for (const char* method : {"http", "email"})
            CHECK(hostname_create_code(with_ssl({{"method", method}, {"type", "dv"}, {"wildcard", true}})) == 1448);
        CHECK(hostname_create_code({{"hostname", "*.acme.io"}, {"ssl", {{"method", "http"}, {"type", "dv"}}}}) == 1448);
        CHECK(hostname_create_code({{"hostname", "*.acme.io"}, {"ssl", json::object()}}) == 1448);  // http by default
        // An uploaded certificate needs no DCV.
        CHECK(hostname_create_code({{"hostname", "*.acme.io"}, {"ssl", {{"custom_csr_id", hostname_csr_id}, {"custom_certificate", "PEM"}}}}) == 0);
    }
    SUBCASE("1449: an unknown bundle_method") {
        CHECK(hostname_create_code(with_ssl({{"method", "txt"}, {"type", "dv"}, {"bundle_method", "cheap"}})) == 1449);
    }
    SUBCASE("1434: an unknown certificate_authority, custom_cert_bundle, custom_key with custom_csr_id") {
        CHECK(hostname_create_code(with_ssl({{"certificate_authority", "acme_ca"}})) == 1434);
        CHECK(hostname_create_code(with_ssl({{"custom_cert_bundle", json::array()}})) == 1434);
        CHECK(hostname_create_code(with_ssl({{"custom_certificate", "PEM"}, {"custom_key", "KEY"}, {"custom_csr_id", hostname_csr_id}})) == 1434);
    }
    SUBCASE("1430: a malformed custom_csr_id") {
        CHECK(hostname_create_code(with_ssl({{"custom_csr_id", "7b163417"}, {"custom_certificate", "PEM"}})) == 1430);
    }
    SUBCASE("1427: custom_csr_id or custom_key without a certificate, or a blank one") {
        CHECK(hostname_create_code(with_ssl({{"custom_csr_id", hostname_csr_id}})) == 1427);
        CHECK(hostname_create_code(with_ssl({{"custom_key", "KEY"}})) == 1427);
        CHECK(hostname_create_code(with_ssl({{"custom_csr_id", hostname_csr_id}, {"custom_certificate", " \n"}})) == 1427);
    }
}

TEST_CASE("ssl.settings: each invalid setting with its code") {
    SUBCASE("1422: http2") { CHECK(hostname_create_code(with_settings({{"http2", "yes"}})) == 1422); }
    SUBCASE("1423: tls_1_2_only") { CHECK(hostname_create_code(with_settings({{"tls_1_2_only", "1"}})) == 1423); }
    SUBCASE("1424: tls_1_3") { CHECK(hostname_create_code(with_settings({{"tls_1_3", "enabled"}})) == 1424); }
    SUBCASE("1425: min_tls_version") { CHECK(hostname_create_code(with_settings({{"min_tls_version", "1.4"}})) == 1425); }
    SUBCASE("1442: ciphers repeated, empty, lower-case or not strings") {
        CHECK(hostname_create_code(with_settings({{"ciphers", {"AES128", "AES128"}}})) == 1442);
        CHECK(hostname_create_code(with_settings({{"ciphers", {""}}})) == 1442);
        CHECK(hostname_create_code(with_settings({{"ciphers", {"aes128"}}})) == 1442);
        CHECK(hostname_create_code(with_settings({{"ciphers", {1}}})) == 1442);
        CHECK(hostname_create_code(with_settings({{"ciphers", "AES128"}})) == 1442);
    }
    SUBCASE("1442: a cipher Cloudflare does not document for TLS 1.2 and lower (TLS 1.3, IANA names, made up)") {
        for (const char* cipher : {"AEAD-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                   "ECDHE-ECDSA-AES128-GCM-SHA512", "DHE-RSA-AES128-GCM-SHA256"}) {
            CAPTURE(cipher);
            CHECK(hostname_create_code(with_settings({{"ciphers", {cipher}}})) == 1442);
        }
    }
    SUBCASE("documented ciphers are accepted, order kept") {
        // A few from each family of the list (the whole list is the source's), order kept.
        json all = {"DES-CBC3-SHA", "ECDHE-RSA-CHACHA20-POLY1305", "AES256-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"};
        auto read = api::read_custom_hostname_request(with_settings({{"ciphers", all}}));
        CHECK(json::parse(*read.ssl->settings)["ciphers"] == all);
    }
    SUBCASE("1443: ciphers with min_tls_version 1.3") {
        CHECK(hostname_create_code(with_settings({{"ciphers", {"ECDHE-ECDSA-AES128-GCM-SHA256"}}, {"min_tls_version", "1.3"}})) == 1443);
    }
    SUBCASE("1434: an unknown setting or early_hints that is not on/off") {
        CHECK(hostname_create_code(with_settings({{"brotli", "on"}})) == 1434);
        CHECK(hostname_create_code(with_settings({{"early_hints", "maybe"}})) == 1434);
    }
}

TEST_CASE("an edit carries only what its body has") {
    auto empty = api::read_custom_hostname_edit(json::object(), "app.acme.io");
    CHECK_FALSE(empty.custom_metadata);
    CHECK_FALSE(empty.custom_origin_server);
    CHECK_FALSE(empty.ssl);

    auto cleared = api::read_custom_hostname_edit({{"custom_metadata", nullptr}, {"custom_origin_server", ""}, {"ssl", nullptr}},
                                                  "app.acme.io");
    REQUIRE(cleared.custom_metadata);
    CHECK_FALSE(*cleared.custom_metadata);
    REQUIRE(cleared.custom_origin_server);
    CHECK_FALSE(*cleared.custom_origin_server);
    CHECK_FALSE(cleared.ssl);  // null is no ssl sent: an edit never drops the certificate

    SUBCASE("1439: the hostname itself cannot change; the same name (any case) is no change") {
        CHECK(hostname_edit_code({{"hostname", "other.acme.io"}}) == 1439);
        CHECK(hostname_edit_code({{"hostname", "APP.acme.io"}}) == 0);
    }
    SUBCASE("1412: metadata on the stored wildcard hostname") {
        CHECK(hostname_edit_code({{"custom_metadata", {{"k", "v"}}}}, "*.acme.io") == 1412);
    }
    SUBCASE("the ssl object is checked as in a create") {
        CHECK(hostname_edit_code({{"ssl", {{"method", "txt"}}}}) == 1440);
        CHECK(hostname_edit_code({{"ssl", {{"type", "dv"}}}}) == 1440);
    }
}
