#pragma once
// Request bodies and checks shared by the end-to-end suites.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

inline const std::string zone_a = "023e105f4ecef8ad9ca31a8372d0c353";
inline const std::string zone_b = "9a7806061c88ada191ed06f989cc3dac";
inline const std::string account_a = "01a7362d577a6c3019a474fd6f485823";

inline std::string zone_csrs(const std::string& zone = zone_a) { return "/client/v4/zones/" + zone + "/custom_csrs"; }
inline std::string account_csrs(const std::string& account = account_a) {
    return "/client/v4/accounts/" + account + "/custom_csrs";
}

inline nlohmann::json csr_body(const std::string& key_type = "p256v1",
                               std::vector<std::string> sans = {"app.acme.io", "www.acme.io", "blog.acme.io", "acme.io"}) {
    return {{"country", "US"},
            {"state", "MA"},
            {"locality", "Boston"},
            {"organization", "City of Boston"},
            {"organizational_unit", "Championship Parade Detail"},
            {"common_name", "app.acme.io"},
            {"sans", sans},
            {"key_type", key_type}};
}

// `openssl req -in FILE -noout -verify` on the PEM: true when OpenSSL says "verify OK".
bool openssl_verifies_csr(const std::string& csr_pem);
// `openssl req -in FILE -noout -text`.
std::string openssl_csr_text(const std::string& csr_pem);

}  // namespace test_support
