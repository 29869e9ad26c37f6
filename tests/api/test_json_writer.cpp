// JsonWriter and the responses written with it: the bytes the nlohmann tree + dump_json wrote.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/custom_certificates/json.hpp"
#include "api/custom_csrs/json.hpp"
#include "api/emulator/journal.hpp"
#include "api/envelope.hpp"
#include "api/paging.hpp"

namespace {

// The CSR object as handlers built it before JsonWriter (a nlohmann tree).
nlohmann::json reference_csr(const storage::CustomCsr& csr) {
    nlohmann::json out = {{"id", csr.id},
                          {"created_at", csr.created_at},
                          {"key_type", csr.key_type},
                          {"common_name", csr.common_name},
                          {"country", csr.country},
                          {"state", csr.state},
                          {"locality", csr.locality},
                          {"organization", csr.organization},
                          {"sans", csr.sans},
                          {"csr", csr.csr_pem}};
    if (csr.organizational_unit) out["organizational_unit"] = *csr.organizational_unit;
    if (csr.name) out["name"] = *csr.name;
    if (csr.description) out["description"] = *csr.description;
    if (csr.scope == storage::Scope::account) out["account_tag"] = csr.scope_id;
    return out;
}

storage::CustomCsr sample(bool optionals, storage::Scope scope) {
    storage::CustomCsr csr;
    csr.id = "3cc2765e-f61d-4e11-9031-3a6067116a06";
    csr.scope = scope;
    csr.scope_id = "023e105f4ecef8ad9ca31a8372d0c353";
    csr.created_at = "2026-01-01T00:00:00.000000Z";
    csr.key_type = "p256v1";
    csr.country = "US";
    csr.state = "Qu\xc3\xa9" "bec";  // non-ASCII: nlohmann's escaper
    csr.locality = "a \"quoted\" \\ \t\x01 place";
    csr.organization = "Acme";
    csr.common_name = "h0.example.com";
    csr.sans = {"h0.example.com", "www.h0.example.com"};
    csr.csr_pem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB/+x=\n-----END CERTIFICATE REQUEST-----\n";
    if (optionals) {
        csr.organizational_unit = "Ops";
        csr.name = "bad \xff utf-8";
        csr.description = "";
    }
    return csr;
}

}  // namespace

TEST_CASE("JsonWriter writes the bytes dump_json writes") {
    std::string out;
    api::JsonWriter w(out);
    w.begin_object()
        .key("a").begin_array().number(0).number(-1).number(9007199254740993LL).boolean(true).boolean(false).null().end_array()
        .key("b").begin_object().end_object()
        .key("c").strings({})
        .key("d").strings({"x", "\x7f\n"})
        .key("e").raw("[1]")
        .end_object();
    nlohmann::json expected = {{"a", {0, -1, 9007199254740993LL, true, false, nullptr}},
                               {"b", nlohmann::json::object()},
                               {"c", nlohmann::json::array()},
                               {"d", {"x", "\x7f\n"}},
                               {"e", {1}}};
    CHECK(out == api::dump_json(expected));
}

TEST_CASE("a custom CSR, one and in a list, is the bytes of its nlohmann tree") {
    for (bool optionals : {false, true})
        for (auto scope : {storage::Scope::zone, storage::Scope::account}) {
            CAPTURE(optionals);
            auto csr = sample(optionals, scope);
            std::string one;
            api::JsonWriter w(one);
            api::write_custom_csr(w, csr);
            CHECK(one == api::dump_json(reference_csr(csr)));

            api::SuccessBody body;
            api::JsonWriter list(body.out());
            list.begin_array();
            write_custom_csr(list, csr);
            write_custom_csr(list, sample(!optionals, scope));
            list.end_array();
            api::ResultInfo info{3, 2, 2, 7};
            auto written = body.finish_list(info);
            auto expected = api::success_list({reference_csr(csr), reference_csr(sample(!optionals, scope))}, info);
            CHECK(written.body == expected.body);
            CHECK(written.status == 200);
            CHECK(written.headers == expected.headers);
        }
}

TEST_CASE("the success envelopes are nlohmann's bytes") {
    nlohmann::json result = {{"id", "x"}, {"n", 1}};
    auto legacy = nlohmann::json{{"success", true}, {"errors", nlohmann::json::array()},
                                 {"messages", nlohmann::json::array()}, {"result", result}};
    CHECK(api::success(result, 201).body == api::dump_json(legacy));
    CHECK(api::success(result, 201).status == 201);
    auto legacy_list = nlohmann::json{{"success", true},
                                      {"errors", nlohmann::json::array()},
                                      {"messages", nlohmann::json::array()},
                                      {"result", {result}},
                                      {"result_info",
                                       {{"page", 2}, {"per_page", 5}, {"count", 1}, {"total_count", 6}, {"total_pages", 2}}}};
    CHECK(api::success_list({result}, api::ResultInfo{2, 5, 1, 6}).body == api::dump_json(legacy_list));
    auto empty = nlohmann::json{{"success", true}, {"errors", nlohmann::json::array()},
                                {"messages", nlohmann::json::array()}, {"result", nlohmann::json::array()},
                                {"result_info",
                                 {{"page", 1}, {"per_page", 0}, {"count", 0}, {"total_count", 0}, {"total_pages", 0}}}};
    CHECK(api::success_list(nlohmann::json::array(), api::ResultInfo{1, 0, 0, 0}).body == api::dump_json(empty));
}

TEST_CASE("an envelope carries the error codes the journal would read from its body") {
    auto ok = api::success({{"id", "x"}});
    REQUIRE(ok.error_codes);
    CHECK(*ok.error_codes == api::emulator::error_codes_of(ok.body));
    auto refused = api::failure(api::ApiError(409, {api::ErrorItem{1420, "in use", {}}, api::ErrorItem{1421, "x", {{7, "y", {}}}}}));
    REQUIRE(refused.error_codes);
    CHECK(*refused.error_codes == std::vector<int>{1420, 1421});
    CHECK(*refused.error_codes == api::emulator::error_codes_of(refused.body));
}

TEST_CASE("a custom certificate is the bytes of its nlohmann tree, expired or not, with and without options") {
    storage::CustomCertificate c;
    c.id = "7e1b5c3a-0000-4000-8000-000000000001";
    c.zone_id = "023e105f4ecef8ad9ca31a8372d0c353";
    c.bundle_method = "ubiquitous";
    c.deploy = "production";
    c.priority = -3;
    c.uploaded_on = "2026-01-01T00:00:00Z";
    c.modified_on = "2026-01-02T00:00:00Z";
    c.certificate.hosts = {"a.acme.io", "b.acme.io"};
    c.certificate.issuer = "CN=Emulator \"Test\" CA";
    c.certificate.signature = "ECDSAWithSHA256";
    c.certificate.not_after = "2027-01-01T00:00:00Z";
    // The object as handlers built it before JsonWriter.
    auto reference = [](const storage::CustomCertificate& c, const std::string& now) {
        nlohmann::json out = {{"id", c.id}, {"zone_id", c.zone_id}, {"hosts", c.certificate.hosts},
                              {"issuer", c.certificate.issuer}, {"signature", c.certificate.signature},
                              {"status", c.certificate.not_after <= now ? "expired" : "active"},
                              {"bundle_method", c.bundle_method}, {"deploy", c.deploy}, {"priority", c.priority},
                              {"uploaded_on", c.uploaded_on}, {"modified_on", c.modified_on},
                              {"expires_on", c.certificate.not_after}};
        if (c.geo_restrictions) out["geo_restrictions"] = {{"label", *c.geo_restrictions}};
        if (c.policy) out["policy_restrictions"] = *c.policy;
        if (c.custom_csr_id) out["custom_csr_id"] = *c.custom_csr_id;
        return out;
    };
    for (bool options : {false, true}) {
        if (options) {
            c.geo_restrictions = "us";
            c.policy = "(country: US)";
            c.custom_csr_id = "3cc2765e-f61d-4e11-9031-3a6067116a06";
        }
        for (std::string now : {"2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z"}) {
            std::string written;
            api::JsonWriter w(written);
            api::write_custom_certificate(w, c, now);
            CHECK(written == api::dump_json(reference(c, now)));
        }
    }
}
