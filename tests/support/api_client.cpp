#include "support/api_client.hpp"

#include <doctest/doctest.h>

#include "support/contract.hpp"

namespace test_support {

ApiClient::ApiClient(const ServerProcess& server, Headers auth) : ApiClient(server.host(), server.port(), std::move(auth)) {}

ApiClient::ApiClient(const std::string& host, unsigned short port, Headers auth)
    : http_(host, port), auth_(std::move(auth)) {}

HttpResponse ApiClient::get(const std::string& path) { return checked("GET", path, {}, auth_); }
HttpResponse ApiClient::post(const std::string& path, const nlohmann::json& body) {
    return checked("POST", path, body.dump(), auth_);
}
HttpResponse ApiClient::patch(const std::string& path, const nlohmann::json& body) {
    return checked("PATCH", path, body.dump(), auth_);
}
HttpResponse ApiClient::put(const std::string& path, const nlohmann::json& body) {
    return checked("PUT", path, body.dump(), auth_);
}
HttpResponse ApiClient::del(const std::string& path) { return checked("DELETE", path, {}, auth_); }

HttpResponse ApiClient::send(const std::string& method, const std::string& path, const std::string& body,
                             const Headers& headers) {
    return checked(method, path, body, headers);
}

HttpResponse ApiClient::checked(const std::string& method, const std::string& path, const std::string& body,
                                const Headers& headers) {
    HttpResponse response = http_.request(method, path, body, headers);
    auto verdict = Contract::instance().check(method, path, response.status, response.body);
    if (verdict.checked && !verdict.violations.empty()) {
        std::string text = "contract violation for " + verdict.operation + ":";
        for (const auto& v : verdict.violations) text += "\n  " + v;
        text += "\nbody: " + response.body.substr(0, 2000);
        FAIL_CHECK(text);
    }
    return response;
}

void check_failure(const HttpResponse& response, int status, int code) {
    INFO("body: " << response.body);
    CHECK(response.status == status);
    CHECK(response.header("Content-Type").value_or("") == "application/json");
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    REQUIRE_FALSE(body.is_discarded());
    CHECK(body["success"] == false);
    CHECK(body["result"].is_null());
    CHECK(body["messages"] == nlohmann::json::array());
    REQUIRE(body["errors"].is_array());
    REQUIRE_FALSE(body["errors"].empty());
    CHECK(body["errors"][0]["code"] == code);
    CHECK(body["errors"][0]["message"].is_string());
}

std::string error_message(const HttpResponse& response) { return response.json()["errors"][0]["message"]; }

void advance_clock(ApiClient& client, const std::string& by) {
    auto advanced = client.post("/_emulator/clock", {{"advance", by}});
    INFO("body: " << advanced.body);
    REQUIRE(advanced.status == 200);
}

}  // namespace test_support
