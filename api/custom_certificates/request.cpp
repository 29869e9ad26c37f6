#include "api/custom_certificates/request.hpp"

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace certificate_errors;
using nlohmann::json;

[[noreturn]] void attribute_error(const std::string& what) {
    throw ApiError(attribute_invalid, std::string(attribute_invalid.message) + " " + what);
}

CertificateSettings read_settings(const json& body) {
    CertificateSettings out;
    if (auto bundle = string_field(body, "bundle_method", body_undecodable)) {
        if (!one_of(*bundle, {"ubiquitous", "optimal", "force"})) attribute_error("bundle_method must be ubiquitous, optimal or force.");
        out.bundle_method = bundle;
    }
    if (auto deploy = string_field(body, "deploy", body_undecodable)) {
        if (!one_of(*deploy, {"staging", "production"})) attribute_error("deploy must be staging or production.");
        out.deploy = deploy;
    }
    if (body.contains("geo_restrictions")) {
        const json* geo = object_field(body, "geo_restrictions", body_undecodable);
        if (!geo) {
            out.geo_restrictions.emplace(std::nullopt);
        } else {
            auto label = string_field(*geo, "label", body_undecodable);
            if (!label || !one_of(*label, {"us", "eu", "highest_security"}))
                attribute_error("geo_restrictions.label must be us, eu or highest_security.");
            out.geo_restrictions.emplace(label);
        }
    }
    // Requests may name it policy or policy_restrictions (the latter wins); responses call it
    // policy_restrictions.
    for (const char* key : {"policy", "policy_restrictions"})
        if (body.contains(key)) out.policy.emplace(string_field(body, key, body_undecodable));
    return out;
}

std::optional<std::string> read_csr_id(const json& body) {
    auto csr_id = string_field(body, "custom_csr_id", body_undecodable);
    if (csr_id && !is_uuid(*csr_id)) throw ApiError(csr_errors::id_invalid);
    return csr_id;
}

void refuse_both_keys(const std::optional<std::string>& csr_id, const std::optional<std::string>& private_key) {
    if (csr_id && private_key) attribute_error("Send private_key or custom_csr_id, not both.");
}

}  // namespace

CustomCertificateRequest read_custom_certificate_request(const json& body) {
    CustomCertificateRequest out;
    out.certificate = string_field(body, "certificate", body_undecodable);
    // The one required field: its absence is the first thing said (not the key it would need).
    if (!out.certificate || out.certificate->find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError(invalid, std::string(invalid.message) + " (certificate is required)");
    out.private_key = string_field(body, "private_key", body_undecodable);
    out.type = string_field(body, "type", body_undecodable).value_or("legacy_custom");
    if (!one_of(out.type, {"legacy_custom", "sni_custom"})) attribute_error("type must be legacy_custom or sni_custom.");
    out.settings = read_settings(body);
    out.custom_csr_id = read_csr_id(body);
    refuse_both_keys(out.custom_csr_id, out.private_key);
    out.priority = integer_field(body, "priority", body_undecodable).value_or(20);
    return out;
}

CustomCertificateEdit read_custom_certificate_edit(const json& body) {
    if (body.contains("type")) attribute_error("type cannot be changed; upload a new certificate instead.");
    CustomCertificateEdit out;
    out.settings = read_settings(body);
    out.certificate = string_field(body, "certificate", body_undecodable);
    out.private_key = string_field(body, "private_key", body_undecodable);
    out.custom_csr_id = read_csr_id(body);
    refuse_both_keys(out.custom_csr_id, out.private_key);
    return out;
}

}  // namespace api
