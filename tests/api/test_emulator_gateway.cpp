// Gateway fidelity: 7003 for ids that are not 32 hex digits, in the 2026 and the older form;
// the Date header's format.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include "api/emulator/gateway_fidelity.hpp"
#include "api/envelope.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;
using api::emulator::GatewayStyle;

namespace {

api::Response checked(const std::string& path, std::map<std::string, std::string, std::less<>> params,
                      GatewayStyle style) {
    api::Request request;
    request.method = "GET";
    request.path = path;
    request.params = std::move(params);
    try {
        api::emulator::check_object_identifiers(request, style);
    } catch (const api::ApiError& error) {
        return api::failure(error);
    }
    return {};
}

// The refusal as a client sees it: status, 7003 naming `full_path` first, and how many errors.
void check_7003(const api::Response& response, int status, const std::string& full_path, std::size_t errors) {
    CHECK(response.status == status);
    auto body = test_support::json_body(response);
    REQUIRE(body["errors"].size() == errors);
    CHECK(body["errors"][0]["code"] == 7003);
    CHECK(body["errors"][0]["message"] ==
          "Could not route to " + full_path + ", perhaps your object identifier is invalid?");
}

}  // namespace

TEST_CASE("7003: a zone id that is not 32 hex digits, naming the full path") {
    check_7003(checked("/zones/my-zone/custom_csrs", {{"zone_id", "my-zone"}}, GatewayStyle::current), 404,
               "/client/v4/zones/my-zone/custom_csrs", 1);
    auto legacy = checked("/client/v4/accounts/x/custom_csrs", {{"account_id", "x"}}, GatewayStyle::legacy);
    check_7003(legacy, 400, "/client/v4/accounts/x/custom_csrs", 2);
    CHECK(test_support::json_body(legacy)["errors"][1]["code"] == 7000);

    CHECK(checked("/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs",
                  {{"zone_id", "023e105f4ecef8ad9ca31a8372d0c353"}}, GatewayStyle::current)
              .status == 200);
    CHECK_FALSE(api::emulator::is_object_identifier(""));
    CHECK_FALSE(api::emulator::is_object_identifier("023e105f4ecef8ad9ca31a8372d0c35g"));
    CHECK_FALSE(api::emulator::is_object_identifier("023e105f-4ecef8ad9ca31a8372d0c353"));
}

TEST_CASE("Date header in IMF-fixdate") {
    CHECK(api::http_date(sys_days{2020y / January / 13} + 5h + 54min + 52s + 900ms) ==
          "Mon, 13 Jan 2020 05:54:52 GMT");
    CHECK(api::http_date(sys_days{2027y / December / 5}) == "Sun, 05 Dec 2027 00:00:00 GMT");
}
