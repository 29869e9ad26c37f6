// Custom CSR create validation: one SUBCASE per documented rule, asserting its code.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/custom_csrs/request.hpp"
#include "api/errors.hpp"
#include "support/refusal.hpp"

using nlohmann::json;

namespace {

json valid_body() {
    return {{"country", "US"},          {"state", "MA"},
            {"locality", "Boston"},     {"organization", "City of Boston"},
            {"organizational_unit", "Parade"}, {"common_name", "app.acme.io"},
            {"sans", {"app.acme.io", "www.acme.io"}}, {"key_type", "p256v1"}};
}

test_support::Refusal refusal(const json& body) {
    return test_support::refusal_of([&] { api::read_custom_csr_request(body); });
}

// Every rule here is a 400.
int csr_code_of(const json& body) {
    auto r = refusal(body);
    if (r.code) CHECK(r.status == 400);
    return r.code;
}

std::string message_of(const json& body) { return refusal(body).message; }

json csr_with(json body, const std::string& key, json value) {
    body[key] = std::move(value);
    return body;
}

json without(json body, const std::string& key) {
    body.erase(key);
    return body;
}

json with_san(const std::string& san) { return csr_with(valid_body(), "sans", {"app.acme.io", san}); }

}  // namespace

TEST_CASE("a valid create request is read field by field") {
    auto request = api::read_custom_csr_request(valid_body());
    CHECK(request.subject.country == "US");
    CHECK(request.subject.state == "MA");
    CHECK(request.subject.locality == "Boston");
    CHECK(request.subject.organization == "City of Boston");
    CHECK(request.subject.organizational_unit == std::optional<std::string>("Parade"));
    CHECK(request.subject.common_name == "app.acme.io");
    CHECK(request.sans == std::vector<std::string>{"app.acme.io", "www.acme.io"});
    CHECK(request.key_type == crypto::KeyType::p256v1);
    CHECK_FALSE(request.name);

    SUBCASE("key_type defaults to rsa2048") {
        CHECK(api::read_custom_csr_request(without(valid_body(), "key_type")).key_type == crypto::KeyType::rsa2048);
    }
    SUBCASE("organizational_unit, name and description are optional") {
        auto r = api::read_custom_csr_request(csr_with(csr_with(without(valid_body(), "organizational_unit"), "name", "n"), "description", "d"));
        CHECK_FALSE(r.subject.organizational_unit);
        CHECK(r.name == std::optional<std::string>("n"));
        CHECK(r.description == std::optional<std::string>("d"));
    }
    SUBCASE("wildcard SANs are valid") {
        CHECK(csr_code_of(with_san("*.shop.acme.io")) == 0);
    }
    SUBCASE("the common name need not be among the SANs (advice, not a rule)") {
        CHECK(csr_code_of(csr_with(valid_body(), "common_name", "other.acme.io")) == 0);
    }
    SUBCASE("exactly 150 SANs and a 64-character common name are accepted") {
        json sans = json::array();
        for (int i = 0; i < 150; ++i) sans.push_back("h" + std::to_string(i) + ".acme.io");
        CHECK(csr_code_of(csr_with(valid_body(), "sans", sans)) == 0);
        CHECK(csr_code_of(csr_with(valid_body(), "common_name", std::string(56, 'a') + ".acme.io")) == 0);
    }
}

TEST_CASE("create validation returns the documented code for the first failing rule") {
    SUBCASE("1400: a field of the wrong type") {
        CHECK(csr_code_of(csr_with(valid_body(), "country", 1)) == 1400);
        CHECK(csr_code_of(csr_with(valid_body(), "sans", "app.acme.io")) == 1400);
        CHECK(csr_code_of(csr_with(valid_body(), "sans", {"app.acme.io", 7})) == 1400);
        CHECK(csr_code_of(csr_with(valid_body(), "key_type", 2048)) == 1400);
        CHECK(csr_code_of(csr_with(valid_body(), "organizational_unit", json::array())) == 1400);
        CHECK(message_of(csr_with(valid_body(), "sans", "x")).find("'sans' must be an array of strings") != std::string::npos);
    }
    SUBCASE("1405: country is required") {
        CHECK(csr_code_of(without(valid_body(), "country")) == 1405);
        CHECK(csr_code_of(csr_with(valid_body(), "country", "")) == 1405);
        CHECK(csr_code_of(csr_with(valid_body(), "country", nullptr)) == 1405);
    }
    SUBCASE("1405: country must be a two-letter code (emulator's choice)") {
        CHECK(csr_code_of(csr_with(valid_body(), "country", "USA")) == 1405);
        CHECK(csr_code_of(csr_with(valid_body(), "country", "1A")) == 1405);
    }
    SUBCASE("1406: state is required") { CHECK(csr_code_of(without(valid_body(), "state")) == 1406); }
    SUBCASE("1407: locality is required") { CHECK(csr_code_of(without(valid_body(), "locality")) == 1407); }
    SUBCASE("1408: organization is required") { CHECK(csr_code_of(without(valid_body(), "organization")) == 1408); }
    SUBCASE("1409: common_name is required") { CHECK(csr_code_of(without(valid_body(), "common_name")) == 1409); }
    SUBCASE("1405-1409 come in field order") {
        CHECK(csr_code_of(without(without(valid_body(), "state"), "common_name")) == 1406);
    }
    SUBCASE("1410: common_name longer than 64 characters") {
        auto body = csr_with(valid_body(), "common_name", std::string(57, 'a') + ".acme.io");
        CHECK(csr_code_of(body) == 1410);
        CHECK(message_of(body).find("Maximum allowed length is 64 characters") != std::string::npos);
    }
    SUBCASE("1411: at least one SAN") {
        CHECK(csr_code_of(without(valid_body(), "sans")) == 1411);
        CHECK(csr_code_of(csr_with(valid_body(), "sans", json::array())) == 1411);
    }
    SUBCASE("1412: more than 150 SANs") {
        json sans = json::array();
        for (int i = 0; i < 151; ++i) sans.push_back("h" + std::to_string(i) + ".acme.io");
        CHECK(csr_code_of(csr_with(valid_body(), "sans", sans)) == 1412);
    }
    SUBCASE("1412: a SAN of 256 characters or more") {
        std::string label(60, 'a');
        std::string san = label + "." + label + "." + label + "." + label + "." + std::string(8, 'b') + ".acme.io";
        REQUIRE(san.size() >= 256);
        CHECK(csr_code_of(with_san(san)) == 1412);
    }
    SUBCASE("1412: a SAN that is an IP address") {
        CHECK(csr_code_of(with_san("192.0.2.1")) == 1412);
        CHECK(csr_code_of(with_san("2001:db8::1")) == 1412);
    }
    SUBCASE("1412: a SAN with a forbidden character") {
        for (char c : std::string("~`!@#$%^&()=+{}[]|\\;:'\",<>/?")) {
            CAPTURE(c);
            CHECK(csr_code_of(with_san(std::string("a") + c + "b.acme.io")) == 1412);
        }
    }
    SUBCASE("1412: a SAN beginning or ending with '-'") {
        CHECK(csr_code_of(with_san("-app.acme.io")) == 1412);
        CHECK(csr_code_of(with_san("app.acme.io-")) == 1412);
    }
    SUBCASE("1413: a non-ASCII SAN") { CHECK(csr_code_of(with_san("bücher.acme.io")) == 1413); }
    SUBCASE("1414: a reserved top-level domain") {
        for (std::string tld : {"test", "example", "invalid", "localhost"}) CHECK(csr_code_of(with_san("app." + tld)) == 1414);
    }
    SUBCASE("1415: the registrable domain cannot be derived (message carries the reason)") {
        auto body = with_san("co.uk");
        CHECK(csr_code_of(body) == 1415);
        CHECK(message_of(body).find("publicsuffix: cannot derive eTLD+1 for domain \"co.uk\"") != std::string::npos);
        CHECK(csr_code_of(with_san("app.notarealtld")) == 1415);
    }
    SUBCASE("1416: SANs ending in example.com, example.net or example.org") {
        for (std::string san : {"app.example.com", "example.net", "x.y.example.org"}) CHECK(csr_code_of(with_san(san)) == 1416);
    }
    SUBCASE("1417: a key_type other than rsa2048 or p256v1") {
        CHECK(csr_code_of(csr_with(valid_body(), "key_type", "rsa4096")) == 1417);
        CHECK(csr_code_of(csr_with(valid_body(), "key_type", "")) == 1417);
    }
    SUBCASE("the subject field limits OpenSSL enforces are checked up front") {
        CHECK(csr_code_of(csr_with(valid_body(), "organization", std::string(65, 'o'))) == 1408);
        CHECK(csr_code_of(csr_with(valid_body(), "state", std::string(129, 's'))) == 1406);
        CHECK(csr_code_of(csr_with(valid_body(), "locality", std::string(129, 'l'))) == 1407);
    }
}

namespace {

// NUL, ESC, a newline, DEL: C0 controls and DEL would land in the CSR's subject as they are.
const std::vector<std::string> controls = {std::string(1, '\0'), "\x1b", "\n", "\x7f"};

// The code for each control character put into `field` as `before` + control + `after`.
std::vector<int> codes_with_control(const std::string& field, const std::string& before, const std::string& after) {
    std::vector<int> codes;
    for (const auto& control : controls) codes.push_back(csr_code_of(csr_with(valid_body(), field, before + control + after)));
    return codes;
}

}  // namespace

TEST_CASE("control characters in a subject field are refused with that field's code") {
    using codes = std::vector<int>;
    SUBCASE("1405: country") { CHECK(codes_with_control("country", "U", "") == codes(4, 1405)); }
    SUBCASE("1406: state") { CHECK(codes_with_control("state", "M", "A") == codes(4, 1406)); }
    SUBCASE("1407: locality") { CHECK(codes_with_control("locality", "Bos", "ton") == codes(4, 1407)); }
    SUBCASE("1408: organization") { CHECK(codes_with_control("organization", "City", "") == codes(4, 1408)); }
    SUBCASE("1400: organizational_unit") { CHECK(codes_with_control("organizational_unit", "", "Parade") == codes(4, 1400)); }
    SUBCASE("1409: common_name") { CHECK(codes_with_control("common_name", "app", ".acme.io") == codes(4, 1409)); }
    SUBCASE("the message says which field and why") {
        auto message = message_of(csr_with(valid_body(), "organization", std::string("City\x1b[31m")));
        CHECK(message.find("Organization field cannot contain control characters (found 0x1b)") != std::string::npos);
    }
    SUBCASE("tabs count too; ordinary punctuation and non-ASCII letters do not") {
        CHECK(csr_code_of(csr_with(valid_body(), "locality", "Bos\tton")) == 1407);
        CHECK(csr_code_of(csr_with(valid_body(), "organization", "Caf\xc3\xa9 & Co.")) == 0);
    }
}
