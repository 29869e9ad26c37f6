#pragma once
// The zone most end-to-end suites work in, its custom hostname routes, and the calls several
// suites make on them: create a DV hostname, read one back, move the emulator's clock.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "support/api_client.hpp"

namespace test_support {

inline const std::string example_zone = "023e105f4ecef8ad9ca31a8372d0c353";
inline const std::string hostnames = "/client/v4/zones/" + example_zone + "/custom_hostnames";
// The manual lifecycle routes: + "<hostname id>/verify_ownership" and the like.
inline const std::string manual_routes = "/_emulator/zones/" + example_zone + "/custom_hostnames/";

inline nlohmann::json create_dv(ApiClient& api, const std::string& name, const std::string& method = "txt") {
    auto created = api.post(hostnames, {{"hostname", name}, {"ssl", {{"method", method}, {"type", "dv"}}}});
    REQUIRE(created.status == 201);
    return created.json()["result"];
}

inline nlohmann::json read_hostname(ApiClient& api, const std::string& id) {
    auto got = api.get(hostnames + "/" + id);
    REQUIRE(got.status == 200);
    return got.json()["result"];
}

// A hostname with an uploaded certificate: a P-256 custom CSR for `name`, signed by the test CA
// for `days`, uploaded with the CSR's id. The create's answer (201 when accepted).
inline HttpResponse create_uploaded(ApiClient& api, const std::string& name, int days = 90) {
    auto csr = api.post("/client/v4/zones/" + example_zone + "/custom_csrs",
                        {{"country", "US"}, {"state", "MA"}, {"locality", "Boston"}, {"organization", "Acme"},
                         {"common_name", name}, {"sans", {name}}, {"key_type", "p256v1"}});
    REQUIRE(csr.status == 201);
    auto chain = api.post("/_emulator/ca/sign", {{"csr", csr.json()["result"]["csr"]}, {"days", days}});
    REQUIRE(chain.status == 200);
    return api.post(hostnames, {{"hostname", name},
                                {"ssl", {{"custom_csr_id", csr.json()["result"]["id"]}, {"custom_certificate", chain.body}}}});
}

// With --validation-step 0: a DV hostname whose create answer shows it active already.
inline nlohmann::json created_active(ApiClient& api, const std::string& name) {
    nlohmann::json created = create_dv(api, name);
    REQUIRE(created["ssl"]["status"] == "active");
    return created;
}

// Moves a hostname's certificate on by the manual route `times` times; the last answer's result.
inline nlohmann::json advance_certificate(ApiClient& api, const std::string& id, int times = 1) {
    nlohmann::json result;
    for (int i = 0; i < times; ++i) {
        auto moved = api.post(manual_routes + id + "/advance_certificate", nlohmann::json::object());
        REQUIRE(moved.status == 200);
        result = moved.json()["result"];
    }
    return result;
}

// In manual mode: a DV hostname made, its ownership verified and its certificate moved to active.
inline nlohmann::json active_by_hand(ApiClient& api, const std::string& name) {
    std::string id = create_dv(api, name)["id"];
    REQUIRE(api.post(manual_routes + id + "/verify_ownership", nlohmann::json::object()).status == 200);
    nlohmann::json active = advance_certificate(api, id, 4);
    REQUIRE(active["ssl"]["status"] == "active");
    return active;
}

inline void advance_clock(ApiClient& api, const std::string& by) {
    REQUIRE(api.post("/_emulator/clock", {{"advance", by}}).status == 200);
}

}  // namespace test_support
