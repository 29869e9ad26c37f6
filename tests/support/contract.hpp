#pragma once
// Validates response bodies against an OpenAPI subset of Cloudflare's API, for every operation
// the subset describes. The subset is an optional file that is not part of this project: its
// path comes from the CSR_EMULATOR_CONTRACT environment variable, else the CMake cache variable
// CONTRACT_SCHEMA. Without it nothing is validated (said on stderr) and test_contract is skipped.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

struct ContractCheck {
    bool checked = false;                 // false: no operation in the subset for this request
    std::string operation;                // "POST /zones/{zone_id}/custom_csrs 201"
    std::vector<std::string> violations;  // "/result/csr: Value type not permitted by 'type' constraint."
};

class Contract {
public:
    // The process-wide contract, loaded once. When the file is absent it says so on stderr once
    // and checks nothing (available() is false).
    static Contract& instance();

    bool available() const { return available_; }
    const std::string& path() const { return path_; }

    // method "GET", path as sent ("/client/v4/zones/z/custom_csrs?page=2"), the response status
    // and body.
    ContractCheck check(const std::string& method, const std::string& path, int status, const std::string& body);

private:
    Contract();
    struct Compiled;
    bool available_ = false;
    std::string path_;
    nlohmann::json document_;
    std::vector<std::pair<std::string, std::shared_ptr<Compiled>>> cache_;
};

}  // namespace test_support
