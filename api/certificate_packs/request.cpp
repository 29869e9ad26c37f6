#include "api/certificate_packs/request.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/name_rules.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace certificate_pack_errors;

[[noreturn]] void invalid(const std::string& detail) { throw ApiError(request_invalid, fill(request_invalid.message, detail)); }

std::string required_string(const nlohmann::json& body, std::string_view key,
                            std::initializer_list<std::string_view> allowed, const std::string& allowed_text) {
    auto value = string_field(body, key, request_invalid);
    if (!value) invalid(std::string(key) + " is required");
    if (!one_of(*value, allowed)) invalid(std::string(key) + " must be " + allowed_text);
    return *value;
}

// A DNS name (a leading "*." allowed) that is the zone apex or lies under it.
void check_host(const std::string& host, const std::string& zone_name) {
    auto check = check_dns_name(host);
    if (check.problem == NameProblem::invalid || check.problem == NameProblem::non_ascii)
        invalid("host " + host + " is not a valid DNS name (" + check.reason + ")");
    std::string_view base = host;
    if (base.starts_with("*.")) base.remove_prefix(2);
    if (base != zone_name && !base.ends_with("." + zone_name))
        throw ApiError(host_outside_zone, fill(host_outside_zone.message, host));
}

}  // namespace

CertificatePackOrder read_certificate_pack_order(const nlohmann::json& body, const std::string& zone_name) {
    CertificatePackOrder out;
    auto type = string_field(body, "type", request_invalid);
    if (!type) invalid("type is required");
    if (*type != "advanced") invalid("type must be advanced");
    out.validation_method = required_string(body, "validation_method", {"txt", "http", "email"}, "txt, http or email");
    out.certificate_authority =
        required_string(body, "certificate_authority", {"google", "lets_encrypt", "ssl_com"}, "google, lets_encrypt or ssl_com");
    auto days = integer_field(body, "validity_days", request_invalid);
    if (!days) invalid("validity_days is required");
    if (*days != 14 && *days != 30 && *days != 90 && *days != 365) invalid("validity_days must be 14, 30, 90 or 365");
    out.validity_days = *days;
    out.cloudflare_branding = bool_field(body, "cloudflare_branding", request_invalid).value_or(false);
    auto hosts = string_array_field(body, "hosts", request_invalid);
    if (!hosts || hosts->empty()) throw ApiError(hosts_count);
    for (auto& host : *hosts) {
        host = lowercase(host);
        if (std::find(out.hosts.begin(), out.hosts.end(), host) == out.hosts.end()) out.hosts.push_back(host);
    }
    if (out.hosts.size() > max_pack_hosts) throw ApiError(hosts_count);
    for (const auto& host : out.hosts) check_host(host, zone_name);
    if (std::find(out.hosts.begin(), out.hosts.end(), zone_name) == out.hosts.end())
        throw ApiError(apex_missing, fill(apex_missing.message, zone_name));
    bool wildcard = std::any_of(out.hosts.begin(), out.hosts.end(), [](const auto& h) { return h.starts_with("*."); });
    if (wildcard && out.validation_method == "http") invalid("a wildcard host is validated by txt or email, not http");
    bool fits = std::any_of(out.hosts.begin(), out.hosts.end(), [](const auto& h) { return h.size() <= 64; });
    if (!fits && !out.cloudflare_branding) throw ApiError(branding_required);
    return out;
}

}  // namespace api
