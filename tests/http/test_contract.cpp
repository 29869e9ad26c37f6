// The contract check itself must be able to fail, or every "validated" response proves nothing.
// Its own executable (test_contract, not part of test_http): the schema is an optional file
// outside the project, and without it this test has nothing to check, so it reports itself
// skipped to CTest (exit code 77, the test's SKIP_RETURN_CODE) instead of passing.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>

#include "support/contract.hpp"

using test_support::Contract;

namespace {
constexpr int skip_return_code = 77;  // tests/CMakeLists.txt sets the same SKIP_RETURN_CODE
}

int main(int argc, char** argv) {
    auto& contract = Contract::instance();
    if (!contract.available()) {
        std::cout << "SKIPPED: contract schema absent at " << contract.path()
                  << " (give its path with -DCONTRACT_SCHEMA=FILE or CSR_EMULATOR_CONTRACT=FILE)\n";
        return skip_return_code;
    }
    doctest::Context context(argc, argv);
    return context.run();
}

TEST_CASE("the contract validator reports violations with their JSON path") {
    auto& contract = Contract::instance();
    REQUIRE(contract.available());
    const std::string path = "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs/7b163417-1d2b-4c84-a38a-2fb7a0cd7752";

    auto good = contract.check("GET", path, 200,
                               R"({"success":true,"errors":[],"messages":[],"result":{"id":"7b163417-1d2b-4c84-a38a-2fb7a0cd7752","key_type":"p256v1","created_at":"2026-11-26T09:43:55.123456Z","sans":["a.acme.io"]}})");
    CHECK(good.checked);
    CHECK(good.operation == "GET /zones/{zone_id}/custom_csrs/{custom_csr_id} 200");
    CHECK(good.violations.empty());

    auto bad = contract.check("GET", path, 200,
                              R"({"success":true,"errors":[],"messages":[],"result":{"id":"x","key_type":"rsa4096","sans":"a.acme.io"}})");
    CHECK(bad.checked);
    REQUIRE_FALSE(bad.violations.empty());
    std::string all;
    for (const auto& v : bad.violations) all += v + "\n";
    INFO(all);
    CHECK(all.find("/result/key_type") != std::string::npos);
    CHECK(all.find("/result/sans") != std::string::npos);

    auto failure = contract.check("GET", path, 404, R"({"success":false,"errors":[],"messages":[],"result":{}})");
    CHECK(failure.checked);
    CHECK_FALSE(failure.violations.empty());

    auto unknown = contract.check("GET", "/client/v4/zones/z/nothing", 404, "{}");
    CHECK_FALSE(unknown.checked);
}

TEST_CASE("nullable date-times accept null; Origin CA's Go-style expires_on passes as a date-time, garbage does not") {
    auto& contract = Contract::instance();
    const std::string pending_zone =
        R"({"success":true,"errors":[],"messages":[],"result":{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"acme.io",)"
        R"("development_mode":0,"owner":{"id":"023e105f4ecef8ad9ca31a8372d0c353","type":"organization"},)"
        R"("account":{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"a"},"meta":{},"name_servers":["ada.ns.cloudflare.com"],)"
        R"("original_name_servers":null,"original_registrar":null,"original_dnshost":null,)"
        R"("created_on":"2026-12-04T10:00:00.000000Z","modified_on":"2026-12-04T10:00:00.000000Z","activated_on":)";
    auto zone = contract.check("GET", "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353", 200, pending_zone + "null}}");
    CHECK(zone.checked);
    CHECK(zone.violations.empty());
    auto bad_zone = contract.check("GET", "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353", 200, pending_zone + "\"soon\"}}");
    CHECK_FALSE(bad_zone.violations.empty());

    auto origin = [&](const std::string& expires_on) {
        // The list's items are the schema's typed Origin CA certificates.
        return contract.check("GET", "/client/v4/certificates?zone_id=023e105f4ecef8ad9ca31a8372d0c353", 200,
                              R"({"success":true,"errors":[],"messages":[],"result_info":{"page":1,"per_page":20,"count":1,"total_count":1},)"
                              R"("result":[{"id":"328578533902268680212849205732770752308931942346",)"
                              R"("csr":"x","hostnames":["acme.io"],"request_type":"origin-rsa","requested_validity":5475,)"
                              R"("certificate":"y","expires_on":")" + expires_on + R"("}]})");
    };
    CHECK(origin("2041-11-30 10:35:35 +0000 UTC").violations.empty());
    CHECK(origin("2041-11-30T10:35:35Z").violations.empty());
    CHECK_FALSE(origin("next year").violations.empty());
}
