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
