// The DCV records a custom hostname shows, without a socket: Cloudflare's shapes (a 43-character
// base64url TXT value, a "ca3-<32 hex>" HTTP token), a wildcard's records at its base name, the
// email addresses of the registrable domain.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/dcv_records.hpp"
#include "api/name_rules.hpp"

using nlohmann::json;

namespace {

storage::HostnameSsl managed(const std::string& method, bool wildcard = false) {
    storage::HostnameSsl ssl;
    ssl.method = method;
    ssl.wildcard = wildcard;
    ssl.dcv_token = api::dcv_token_from_id("7b163417-1d2b-4c84-a38a-2fb7a0cd7752");
    return ssl;
}

bool base64url_43(const json& value) {
    return std::regex_match(value.get<std::string>(), std::regex("[A-Za-z0-9_-]{43}"));
}

}  // namespace

TEST_CASE("the HTTP token is Cloudflare's documented form: ca3- and 32 hex digits") {
    CHECK(api::dcv_token_from_id("7b163417-1d2b-4c84-a38a-2fb7a0cd7752") == "ca3-7b1634171d2b4c84a38a2fb7a0cd7752");
    json records = api::validation_records_json("shop.acme.io", managed("http"));
    REQUIRE(records.size() == 1);
    CHECK(records[0]["http_body"] == "ca3-7b1634171d2b4c84a38a2fb7a0cd7752");
    CHECK(records[0]["http_url"] ==
          "http://shop.acme.io/.well-known/pki-validation/ca3-7b1634171d2b4c84a38a2fb7a0cd7752.txt");
    CHECK(records[0]["status"] == "pending");
}

TEST_CASE("TXT: one 43-character base64url value per certificate name, all at _acme-challenge.<base name>") {
    SUBCASE("a hostname: one record") {
        json records = api::validation_records_json("shop.acme.io", managed("txt"));
        REQUIRE(records.size() == 1);
        CHECK(records[0]["txt_name"] == "_acme-challenge.shop.acme.io");
        CHECK(base64url_43(records[0]["txt_value"]));
    }
    SUBCASE("ssl.wildcard: the hostname's and its wildcard's, different, at one name") {
        json records = api::validation_records_json("shop.acme.io", managed("txt", true));
        REQUIRE(records.size() == 2);
        for (const auto& r : records) {
            CHECK(r["txt_name"] == "_acme-challenge.shop.acme.io");
            CHECK(base64url_43(r["txt_value"]));
        }
        CHECK(records[0]["txt_value"] != records[1]["txt_value"]);
        CHECK(api::certificate_names("shop.acme.io", true) == std::vector<std::string>{"shop.acme.io", "*.shop.acme.io"});
    }
    SUBCASE("a *. hostname: at its base name, never a name with '*'") {
        json records = api::validation_records_json("*.shop.acme.io", managed("txt"));
        REQUIRE(records.size() == 1);
        CHECK(records[0]["txt_name"] == "_acme-challenge.shop.acme.io");
        CHECK(api::certificate_names("*.shop.acme.io", true) == std::vector<std::string>{"*.shop.acme.io"});
    }
    SUBCASE("the values are what dns mode expects, and follow the token") {
        auto ssl = managed("txt", true);
        json records = api::validation_records_json("shop.acme.io", ssl);
        auto values = api::dcv_txt_values(*ssl.dcv_token, "shop.acme.io", true);
        CHECK(values == std::vector<std::string>{records[0]["txt_value"], records[1]["txt_value"]});
        CHECK(api::dcv_txt_values("ca3-other", "shop.acme.io", true) != values);
    }
}

TEST_CASE("wildcards are validated by TXT only") {
    CHECK(api::txt_only("*.shop.acme.io", false));
    CHECK(api::txt_only("shop.acme.io", true));
    CHECK_FALSE(api::txt_only("shop.acme.io", false));
}

TEST_CASE("email DCV writes to the five constructed addresses of the registrable domain") {
    CHECK(api::dcv_emails("a.b.shop.acme.io") ==
          std::vector<std::string>{"admin@acme.io", "administrator@acme.io", "hostmaster@acme.io", "postmaster@acme.io",
                                   "webmaster@acme.io"});
    CHECK(api::dcv_emails("*.shop.acme.co.uk").front() == "admin@acme.co.uk");
    CHECK(api::registrable_domain("acme.io") == "acme.io");
    CHECK(api::registrable_domain("Shop.Acme.IO") == "acme.io");
    json records = api::validation_records_json("x.acme.io", managed("email"));
    REQUIRE(records.size() == 1);
    CHECK(records[0]["emails"].size() == 5);
}
