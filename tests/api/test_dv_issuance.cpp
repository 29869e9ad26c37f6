// The DV pair the emulator's CA issues at `active`, as the API reports it: `ssl.certificate_authority`
// names the CA the request chose, else Cloudflare's default (google), and only once issued.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/ssl.hpp"
#include "api/emulator/emulator_ca.hpp"
#include "support/service_fixture.hpp"

using nlohmann::json;

namespace {

const std::string issuance_zone = "023e105f4ecef8ad9ca31a8372d0c353";
const std::string issuance_hostnames = "/client/v4/zones/" + issuance_zone + "/custom_hostnames";

// The API with the emulator's CA, in auto mode at step 0 (a DV hostname is active, and issued,
// in its create response) unless a test picks another mode.
struct IssuingApi : test_support::ServiceFixture {
    IssuingApi() {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(context.now().time_since_epoch()).count();
        context.emulator_ca = crypto::create_emulator_ca(now);
        context.trust = std::make_shared<crypto::TrustStore>(api::build_trust_store(context.emulator_ca, "", {}));
        context.validation.enabled = true;
        context.validation.mode = api::lifecycle::Mode::automatic;
        context.validation.step = api::lifecycle::Duration(0);
    }
    json send(const std::string& method, const std::string& path, const json& body = nullptr) {
        auto r = call(method, path, body.is_null() ? std::string() : body.dump());
        INFO(r.body);
        REQUIRE(r.status / 100 == 2);
        return json::parse(r.body)["result"];
    }
    json create_dv(const std::string& name, const json& extra_ssl = json::object()) {
        json ssl = {{"method", "txt"}, {"type", "dv"}};
        ssl.update(extra_ssl);
        return send("POST", issuance_hostnames, {{"hostname", name}, {"ssl", ssl}});
    }
};

}  // namespace

TEST_SUITE_BEGIN("dv_issuance");

TEST_CASE("an issued DV certificate names its CA: google (Cloudflare's default) when none was asked for") {
    IssuingApi api;
    json created = api.create_dv("shop.acme.io");
    REQUIRE(created["ssl"]["status"] == "active");
    REQUIRE(created["ssl"]["certificates"].size() == 2);
    CHECK(created["ssl"]["certificate_authority"] == "google");
    CHECK(std::string(api::default_certificate_authority) == "google");
    // Stored, not only shown: the read and the list filter see it.
    json read = api.send("GET", issuance_hostnames + "/" + created["id"].get<std::string>());
    CHECK(read["ssl"]["certificate_authority"] == "google");
    json listed = api.send("GET", issuance_hostnames + "?certificate_authority=google");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["id"] == created["id"]);
    CHECK(api.send("GET", issuance_hostnames + "?certificate_authority=lets_encrypt").empty());
}

TEST_CASE("an issued DV certificate keeps the CA the request named") {
    IssuingApi api;
    for (const char* ca : {"lets_encrypt", "ssl_com", "digicert", "google"}) {
        CAPTURE(ca);
        json created = api.create_dv(std::string(ca) + ".acme.io", {{"certificate_authority", ca}});
        REQUIRE(created["ssl"]["status"] == "active");
        CHECK(created["ssl"]["certificate_authority"] == ca);
    }
}

TEST_CASE("before issuance only a requested CA is shown; at active the default is named") {
    IssuingApi api;
    api.context.validation.mode = api::lifecycle::Mode::manual;
    json chosen = api.create_dv("chosen.acme.io", {{"certificate_authority", "lets_encrypt"}});
    CHECK(chosen["ssl"]["status"] == "initializing");
    CHECK(chosen["ssl"]["certificate_authority"] == "lets_encrypt");  // echoed as sent

    json created = api.create_dv("later.acme.io");
    CHECK(created["ssl"]["status"] == "initializing");
    // None asked for: Cloudflare's create answer names the default CA already (issue #19).
    CHECK(created["ssl"]["certificate_authority"] == "google");
    const std::string route = "/_emulator/zones/" + issuance_zone + "/custom_hostnames/" + created["id"].get<std::string>();
    api.send("POST", route + "/verify_ownership");
    json last;
    for (int i = 0; i < 4; ++i) last = api.send("POST", route + "/advance_certificate");
    REQUIRE(last["ssl"]["status"] == "active");
    CHECK(last["ssl"]["certificate_authority"] == "google");
}

TEST_CASE("an uploaded certificate names no CA: the customer's CA issued it") {
    IssuingApi api;
    json csr = api.send("POST", "/client/v4/zones/" + issuance_zone + "/custom_csrs",
                        {{"country", "US"}, {"state", "MA"}, {"locality", "Boston"}, {"organization", "Acme"},
                         {"common_name", "up.acme.io"}, {"sans", {"up.acme.io"}}, {"key_type", "p256v1"}});
    std::string chain = api::sign_with_emulator_ca(api.context.emulator_ca, csr["csr"], 90, api.context.now());
    json created = api.send("POST", issuance_hostnames,
                            {{"hostname", "up.acme.io"},
                             {"ssl", {{"custom_csr_id", csr["id"]}, {"custom_certificate", chain}}}});
    REQUIRE(created["ssl"]["status"] == "active");
    CHECK_FALSE(created["ssl"].contains("certificate_authority"));
}

TEST_SUITE_END();
