// The edge's answers without a socket: TLS policy from ssl.settings, the headers the origin is
// told, the error pages, and which stored hostname a name the edge sees belongs to.
#include <doctest/doctest.h>

#include "api/edge/challenges.hpp"
#include "api/edge/error_pages.hpp"
#include "api/edge/hostname_lookup.hpp"
#include "api/edge/origin_route.hpp"
#include "api/edge/request_framing.hpp"
#include "api/edge/tls_settings.hpp"
#include "api/edge/visitor_headers.hpp"
#include "storage/database.hpp"
#include "storage/hostname_repository.hpp"

using namespace api::edge;

namespace {

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& name) {
    for (const auto& [k, v] : headers)
        if (k == name) return v;
    return "";
}

storage::CustomHostname hostname_row(const std::string& id, const std::string& name, const std::string& status,
                                     std::optional<std::string> origin = std::nullopt) {
    storage::CustomHostname h;
    h.id = id;
    h.zone_id = "zone";
    h.hostname = name;
    h.status = status;
    h.created_at = "2026-01-01T00:00:00.00000" + id.substr(id.size() - 1) + "Z";
    h.ownership_token = "owner-" + id;
    h.custom_origin_server = std::move(origin);
    storage::HostnameSsl ssl;
    ssl.id = "ssl-" + id;
    ssl.status = status == "active" ? "active" : "pending_validation";
    ssl.method = "http";
    ssl.type = "dv";
    ssl.bundle_method = "ubiquitous";
    ssl.dcv_token = "dcv-" + id;
    h.ssl = ssl;
    return h;
}

}  // namespace

TEST_CASE("ssl.settings become the connection's TLS policy") {
    SUBCASE("absent settings: the edge's defaults") {
        auto p = tls_policy(std::nullopt);
        CHECK(p.min_version == crypto::TlsVersion::library_default);
        CHECK(p.allow_tls1_3);
        CHECK(p.ciphers.empty());
    }
    SUBCASE("min_tls_version 1.3") {
        CHECK(tls_policy(R"({"min_tls_version":"1.3"})").min_version == crypto::TlsVersion::tls1_3);
    }
    SUBCASE("tls_1_3 off, or tls_1_2_only on, caps at TLS 1.2") {
        CHECK_FALSE(tls_policy(R"({"tls_1_3":"off"})").allow_tls1_3);
        CHECK_FALSE(tls_policy(R"({"tls_1_2_only":"on"})").allow_tls1_3);
        CHECK(tls_policy(R"({"tls_1_3":"on"})").allow_tls1_3);
    }
    SUBCASE("ciphers: BoringSSL and IANA names in OpenSSL's spelling, order kept, unknown names dropped") {
        auto p = tls_policy(R"({"ciphers":["ECDHE-RSA-AES128-GCM-SHA256","TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",)"
                            R"("ECDHE-ECDSA-CHACHA20-POLY1305-OLD","NOT-A-CIPHER"]})");
        CHECK(p.ciphers == std::vector<std::string>{"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                                                    "ECDHE-ECDSA-CHACHA20-POLY1305"});
    }
}

TEST_CASE("the origin is told what Cloudflare tells it") {
    auto ray = new_ray_id();
    CHECK(ray.size() == 20);
    CHECK(ray.ends_with("-EMU"));
    auto h = origin_request_headers("192.0.2.7", std::string("203.0.113.9"), ray);
    CHECK(header(h, "CF-Connecting-IP") == "192.0.2.7");
    CHECK(header(h, "X-Forwarded-For") == "203.0.113.9, 192.0.2.7");
    CHECK(header(h, "X-Forwarded-Proto") == "https");
    CHECK(header(h, "CF-Visitor") == R"({"scheme":"https"})");
    CHECK(header(h, "CF-Ray") == ray);
    CHECK(header(h, "CDN-Loop") == "cloudflare");
    CHECK(header(h, "CF-IPCountry") == "XX");
    CHECK(header(origin_request_headers("192.0.2.7", std::nullopt, ray), "X-Forwarded-For") == "192.0.2.7");
    CHECK(header(origin_request_headers("192.0.2.7", std::nullopt, ray, false), "X-Forwarded-Proto") == "http");
    CHECK(is_replaced_request_header("cf-connecting-ip"));
    CHECK(is_replaced_request_header("Connection"));
    CHECK_FALSE(is_replaced_request_header("Host"));
}

TEST_CASE("error pages name the code and the Ray ID") {
    struct Case {
        EdgeFailure failure;
        int status;
        const char* code;
        const char* reason;  // the status line's phrase: none is standard for Cloudflare's 52x
    };
    for (auto c : {Case{EdgeFailure::origin_error, 520, "Error code 520", "Web Server Returned an Unknown Error"},
                   Case{EdgeFailure::origin_refused, 521, "Error code 521", "Web Server Is Down"},
                   Case{EdgeFailure::connect_timeout, 522, "Error code 522", "Connection Timed Out"},
                   Case{EdgeFailure::origin_unreachable, 523, "Error code 523", "Origin Is Unreachable"},
                   Case{EdgeFailure::read_timeout, 524, "Error code 524", "A Timeout Occurred"},
                   Case{EdgeFailure::no_origin, 530, "Error code 1016", "Origin DNS Error"}}) {
        auto page = error_page(c.failure, "shop.<acme>.io", "0123456789abcdef-EMU");
        CHECK(page.status == c.status);
        CHECK(page.reason == c.reason);
        CHECK(page.body.find(c.code) != std::string::npos);
        CHECK(page.body.find("0123456789abcdef-EMU") != std::string::npos);
        CHECK(page.body.find("shop.&lt;acme&gt;.io") != std::string::npos);
    }
}

TEST_CASE("a malformed request's page is the short 400 one") {
    auto page = error_page(EdgeFailure::bad_request, "", "0123456789abcdef-EMU");
    CHECK(page.status == 400);
    CHECK(page.reason.empty());  // the standard "Bad Request"
    CHECK(page.body.find("<title>400 Bad Request</title>") != std::string::npos);
    auto too_large = error_page(EdgeFailure::header_too_large, "", "r");
    CHECK(too_large.status == 400);
    CHECK(too_large.body.find("400 Request Header Or Cookie Too Large") != std::string::npos);
}

TEST_CASE("requests framed ambiguously are refused (RFC 9112)") {
    auto request = [](std::vector<std::string> te, bool cl = false, std::vector<std::string> host = {"shop.acme.io"},
                      unsigned version = 11) {
        return RequestFraming{version, std::move(te), cl, std::move(host)};
    };
    CHECK_FALSE(framing_problem(request({})));
    CHECK_FALSE(framing_problem(request({}, true)));
    CHECK_FALSE(framing_problem(request({"chunked"})));
    CHECK_FALSE(framing_problem(request({"gzip, chunked"})));
    CHECK_FALSE(framing_problem(request({"gzip", "Chunked"})));  // two lines make one list
    CHECK_FALSE(framing_problem(request({}, false, {"[::1]:8443"})));
    CHECK_FALSE(framing_problem(request({}, false, {}, 10)));  // HTTP/1.0 needs no Host

    CHECK(framing_problem(request({"gzip"})) == "Transfer-Encoding does not end in chunked");
    CHECK(framing_problem(request({"chunked, gzip"})) == "Transfer-Encoding does not end in chunked");
    CHECK(framing_problem(request({"chunked", "gzip"})) == "Transfer-Encoding does not end in chunked");
    CHECK(framing_problem(request({" , "})) == "Transfer-Encoding does not end in chunked");
    CHECK(framing_problem(request({"chunked, chunked"})) == "chunked applied more than once");
    CHECK(framing_problem(request({"chunked"}, true)) == "both Transfer-Encoding and Content-Length");
    CHECK(framing_problem(request({"chunked"}, false, {"shop.acme.io"}, 10)) ==
          "Transfer-Encoding in an HTTP/1.0 request");
    CHECK(framing_problem(request({}, false, {"shop.acme.io", "shop.acme.io"})) == "more than one Host header");
    CHECK(framing_problem(request({}, false, {})) == "no Host header in an HTTP/1.1 request");
    for (const char* bad : {"a b", "shop.acme.io/x", "user@shop.acme.io", "a,b", "caf\xc3\xa9.io"})
        CHECK(framing_problem(request({}, false, {bad})) == "invalid Host header");
}

TEST_CASE("names the edge sees find their custom hostname") {
    CHECK(normalize_host("Shop.Acme.IO.:8443") == "shop.acme.io");
    CHECK(normalize_host("shop.acme.io") == "shop.acme.io");

    storage::Database db(":memory:");
    storage::HostnameRepository hostnames(db);
    REQUIRE(hostnames.insert(hostname_row("h1", "shop.acme.io", "active", "origin.saas.io")) == storage::WriteResult::ok);
    REQUIRE(hostnames.insert(hostname_row("h2", "*.acme.io", "active", "wild.saas.io")) == storage::WriteResult::ok);
    REQUIRE(hostnames.insert(hostname_row("h3", "pending.acme.io", "pending")) == storage::WriteResult::ok);
    REQUIRE(hostnames.insert(hostname_row("h4", "bare.acme.io", "active")) == storage::WriteResult::ok);
    storage::EdgeRepository edge(db);

    SUBCASE("exact before wildcard; RFC 6125: the wildcard covers one label") {
        auto rows = hostnames_covering(edge, "shop.acme.io").covering;
        REQUIRE(rows.size() == 2);
        CHECK(rows[0]->hostname == "shop.acme.io");
        CHECK(rows[1]->hostname == "*.acme.io");
        CHECK(hostnames_covering(edge, "a.b.acme.io").covering.empty());
        CHECK(hostnames_covering(edge, "acme.io").covering.empty());
    }
    SUBCASE("pending hostnames are not live; the wildcard answers for them") {
        CHECK(live_hostname(edge, "pending.acme.io")->hostname == "*.acme.io");
    }
    SUBCASE("routes: custom origin, no origin (1016), no hostname") {
        auto shop = route_for_host(edge, "SHOP.acme.io:443");
        CHECK(shop.outcome == OriginRoute::Outcome::origin);
        CHECK(shop.origin == "origin.saas.io");
        CHECK(route_for_host(edge, "bare.acme.io").outcome == OriginRoute::Outcome::no_origin);
        CHECK(route_for_host(edge, "shop.other.io").outcome == OriginRoute::Outcome::no_hostname);
    }
    SUBCASE("answers are remembered only until the next write") {
        CHECK(live_hostname(edge, "shop.acme.io")->hostname == "shop.acme.io");
        CHECK(live_hostname(edge, "shop.acme.io")->hostname == "shop.acme.io");  // remembered
        REQUIRE(hostnames.remove("zone", "h1"));
        CHECK(live_hostname(edge, "shop.acme.io")->hostname == "*.acme.io");
        auto renewed = hostname_row("h5", "shop.acme.io", "active", "new-origin.saas.io");
        REQUIRE(hostnames.insert(renewed) == storage::WriteResult::ok);
        CHECK(route_for_host(edge, "shop.acme.io").origin == "new-origin.saas.io");
        CHECK(live_hostname(edge, "new.acme.io")->hostname == "*.acme.io");
        REQUIRE(hostnames.remove("zone", "h2"));
        CHECK_FALSE(live_hostname(edge, "new.acme.io"));
    }
    SUBCASE("validation tokens over HTTP, for the hostname itself in any status") {
        CHECK(challenge_answer(edge, "pending.acme.io", "/.well-known/cf-custom-hostname-challenge/h3") == "owner-h3");
        CHECK(challenge_answer(edge, "pending.acme.io", "/.well-known/pki-validation/dcv-h3.txt") == "dcv-h3");
        CHECK(challenge_answer(edge, "pending.acme.io", "/.well-known/acme-challenge/dcv-h3") == "dcv-h3");
        CHECK_FALSE(challenge_answer(edge, "pending.acme.io", "/.well-known/cf-custom-hostname-challenge/h1"));
        CHECK_FALSE(challenge_answer(edge, "x.acme.io", "/.well-known/cf-custom-hostname-challenge/h2"));
        CHECK(is_challenge_path("/.well-known/acme-challenge/x"));
        CHECK_FALSE(is_challenge_path("/cart"));
    }
}
