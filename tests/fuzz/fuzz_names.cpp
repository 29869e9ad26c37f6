// SAN / hostname name rules: check_dns_name with and without wildcards, require_dns_name's
// error mapping, the origin server rules, and certificate name coverage.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/custom_hostnames/origin_name.hpp"
#include "api/custom_hostnames/validation_checks.hpp"
#include "api/errors.hpp"
#include "api/errors_catalogue.hpp"
#include "api/name_rules.hpp"
#include "crypto/certificate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view name(reinterpret_cast<const char*>(data), size);
    (void)api::check_dns_name(name);
    (void)api::check_dns_name(name, api::NameRules{false});
    const auto& e = api::gateway_errors::malformed_http;  // any spec: only the mapping is exercised
    try {
        api::require_dns_name(name, api::NameErrors{e, e, e, api::gateway_errors::could_not_route, e});
    } catch (const api::ApiError&) {
    }
    try {
        (void)api::checked_origin_name(std::string(name));
    } catch (const api::ApiError&) {
    }
    (void)api::ownership_txt_name(std::string(name));
    (void)api::dcv_txt_name(std::string(name));
    // Coverage both ways: the input as a certificate's name and as the hostname asked for.
    (void)crypto::name_covered({std::string(name)}, "www.acme.io");
    (void)crypto::name_covered({"*.acme.io", "acme.io"}, name);
    auto split = name.find('\n');
    if (split != std::string_view::npos)
        (void)crypto::name_covered({std::string(name.substr(0, split))}, name.substr(split + 1));
    return 0;
}
