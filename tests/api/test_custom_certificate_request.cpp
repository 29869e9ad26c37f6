// Custom certificate upload and edit bodies without a socket: one SUBCASE per rule, named for
// its code. The certificate itself (1002, 2100, ...) is checked end to end in tests/http.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/custom_certificates/request.hpp"
#include "api/errors.hpp"
#include "support/refusal.hpp"

using nlohmann::json;

namespace {

const std::string upload_csr_id = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";

json upload() { return {{"certificate", "PEM"}, {"custom_csr_id", upload_csr_id}}; }

json upload_with(json body, const std::string& key, json value) {
    body[key] = std::move(value);
    return body;
}

// The code a body is refused with (0: accepted); every rule here is a 400.
int upload_code_of(const std::function<void()>& read) {
    auto r = test_support::refusal_of(read);
    if (r.code) CHECK(r.status == 400);
    return r.code;
}
int upload_create_code(const json& body) {
    return upload_code_of([&] { api::read_custom_certificate_request(body); });
}
int upload_edit_code(const json& body) {
    return upload_code_of([&] { api::read_custom_certificate_edit(body); });
}

}  // namespace

TEST_CASE("a valid upload body is read field by field, with the defaults") {
    auto request = api::read_custom_certificate_request(upload());
    CHECK(request.certificate == std::optional<std::string>("PEM"));
    CHECK(request.custom_csr_id == std::optional<std::string>(upload_csr_id));
    CHECK_FALSE(request.private_key);
    CHECK(request.type == "legacy_custom");
    CHECK(request.priority == 20);
    CHECK_FALSE(request.settings.bundle_method);
    CHECK_FALSE(request.settings.geo_restrictions);

    json full = upload();
    full["type"] = "sni_custom";
    full["bundle_method"] = "force";
    full["deploy"] = "staging";
    full["geo_restrictions"] = {{"label", "eu"}};
    full["policy"] = "(country: US)";
    full["priority"] = 5;
    auto r = api::read_custom_certificate_request(full);
    CHECK(r.type == "sni_custom");
    CHECK(r.settings.bundle_method == std::optional<std::string>("force"));
    CHECK(r.settings.deploy == std::optional<std::string>("staging"));
    REQUIRE(r.settings.geo_restrictions);
    CHECK(*r.settings.geo_restrictions == std::optional<std::string>("eu"));
    REQUIRE(r.settings.policy);
    CHECK(*r.settings.policy == std::optional<std::string>("(country: US)"));
    CHECK(r.priority == 5);
}

TEST_CASE("upload rules") {
    SUBCASE("1434: bad bundle_method, type, geo_restrictions, deploy; a key and a CSR id together") {
        for (auto [field, value] : std::vector<std::pair<std::string, json>>{{"bundle_method", "cheap"},
                                                                             {"type", "custom"},
                                                                             {"geo_restrictions", {{"label", "mars"}}},
                                                                             {"geo_restrictions", json::object()},
                                                                             {"deploy", "later"},
                                                                             {"private_key", "KEY"}}) {
            CAPTURE(field);
            CHECK(upload_create_code(upload_with(upload(), field, value)) == 1434);
        }
    }
    SUBCASE("1002: no certificate, said first, before the key it would need or any other field") {
        for (const json& body : {json{{"custom_csr_id", "not-a-uuid"}, {"type", "custom"}}, json{{"private_key", "KEY"}},
                                 json{{"certificate", " \n"}, {"bundle_method", "cheap"}}, json::object()}) {
            CAPTURE(body.dump());
            auto r = test_support::refusal_of([&] { api::read_custom_certificate_request(body); });
            CHECK(r.status == 400);
            CHECK(r.code == 1002);
            CHECK(r.message == "Invalid certificate. (certificate is required)");
        }
    }
    SUBCASE("1418: a malformed CSR id") { CHECK(upload_create_code(upload_with(upload(), "custom_csr_id", "not-a-uuid")) == 1418); }
    SUBCASE("1400: fields of the wrong type") {
        CHECK(upload_create_code(upload_with(upload(), "certificate", 1)) == 1400);
        CHECK(upload_create_code(upload_with(upload(), "priority", "high")) == 1400);
        CHECK(upload_create_code(upload_with(upload(), "geo_restrictions", "eu")) == 1400);
        CHECK(upload_create_code(upload_with(upload(), "geo_restrictions", {{"label", 1}})) == 1400);
        CHECK(upload_create_code(upload_with(upload(), "policy", true)) == 1400);
    }
}

TEST_CASE("an edit carries only what its body has") {
    auto empty = api::read_custom_certificate_edit(json::object());
    CHECK_FALSE(empty.certificate);
    CHECK_FALSE(empty.settings.geo_restrictions);
    auto cleared = api::read_custom_certificate_edit({{"geo_restrictions", nullptr}, {"policy_restrictions", nullptr}});
    REQUIRE(cleared.settings.geo_restrictions);
    CHECK_FALSE(*cleared.settings.geo_restrictions);
    REQUIRE(cleared.settings.policy);
    CHECK_FALSE(*cleared.settings.policy);

    SUBCASE("1434: the type cannot change; a key and a CSR id together") {
        CHECK(upload_edit_code({{"type", "sni_custom"}}) == 1434);
        CHECK(upload_edit_code({{"private_key", "KEY"}, {"custom_csr_id", upload_csr_id}}) == 1434);
    }
    SUBCASE("1418: a malformed CSR id") { CHECK(upload_edit_code({{"custom_csr_id", "7b163417"}}) == 1418); }
}
