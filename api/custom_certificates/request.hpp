#pragma once
// Custom certificate upload and edit bodies, read from JSON and checked rule by rule with the
// custom certificate service's codes (Cloudflare's documentation). Pure: the certificate itself is checked
// afterwards against the CSR or key and the trust store (handlers.cpp, certificate_upload.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace api {

// What both an upload and an edit may set; absent fields keep their value (or the default).
struct CertificateSettings {
    std::optional<std::string> bundle_method, deploy;
    // The outer optional says "present"; the inner one is the new value, absent to clear it.
    std::optional<std::optional<std::string>> geo_restrictions;  // the label
    std::optional<std::optional<std::string>> policy;            // "policy" or "policy_restrictions"
};

struct CustomCertificateRequest {
    std::optional<std::string> certificate, private_key, custom_csr_id;
    std::string type = "legacy_custom";
    CertificateSettings settings;
    std::int64_t priority = 20;
};

struct CustomCertificateEdit {
    CertificateSettings settings;
    std::optional<std::string> certificate, private_key, custom_csr_id;
};

// Each throws ApiError with the code of the first rule the body breaks.
CustomCertificateRequest read_custom_certificate_request(const nlohmann::json& body);
CustomCertificateEdit read_custom_certificate_edit(const nlohmann::json& body);

}  // namespace api
