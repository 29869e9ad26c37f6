#include "api/origin_ca/request.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/name_rules.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace origin_ca_errors;

[[noreturn]] void invalid(const ErrorSpec& spec, const std::string& detail) { throw ApiError(spec, fill(spec.message, detail)); }

// Cloudflare's rules: a DNS name, no IP address; a wildcard only as one leading "*." on a name
// of at least two labels (not "*.com", "*.*.acme.io" or "foo.*.acme.io").
void check_hostname(const std::string& name) {
    std::string_view base = name;
    if (base.starts_with("*.")) base.remove_prefix(2);
    if (base.find('*') != std::string_view::npos) invalid(hostnames_invalid, name + " (a wildcard is only allowed as one leading '*.')");
    if (base.find('.') == std::string_view::npos) invalid(hostnames_invalid, name + " (a name needs at least two labels)");
    auto check = check_dns_name(base, NameRules{.allow_wildcard = false});
    // Reserved and public-suffix names are left to the zone check: a zone the account has is fine.
    if (check.problem == NameProblem::invalid || check.problem == NameProblem::non_ascii)
        invalid(hostnames_invalid, name + " (" + check.reason + ")");
}

}  // namespace

OriginCaRequest read_origin_ca_request(const nlohmann::json& body) {
    OriginCaRequest out;
    auto csr = string_field(body, "csr", request_invalid);
    if (!csr || csr->empty()) invalid(request_invalid, "csr is required");
    out.csr = *csr;
    auto type = string_field(body, "request_type", request_invalid);
    if (!type) invalid(request_invalid, "request_type is required");
    if (*type != "origin-rsa" && *type != "origin-ecc" && *type != "keyless-certificate")
        invalid(request_invalid, "request_type must be origin-rsa, origin-ecc or keyless-certificate");
    out.request_type = *type;
    if (auto validity = integer_field(body, "requested_validity", request_invalid)) {
        constexpr std::int64_t allowed[] = {7, 30, 90, 365, 730, 1095, 5475};
        if (std::find(std::begin(allowed), std::end(allowed), *validity) == std::end(allowed))
            invalid(request_invalid, "requested_validity must be 7, 30, 90, 365, 730, 1095 or 5475");
        out.requested_validity = *validity;
    }
    auto hostnames = string_array_field(body, "hostnames", request_invalid);
    if (!hostnames || hostnames->empty()) invalid(hostnames_invalid, "at least one hostname is required");
    for (auto& name : *hostnames) {
        name = lowercase(name);
        if (std::find(out.hostnames.begin(), out.hostnames.end(), name) == out.hostnames.end()) out.hostnames.push_back(name);
    }
    if (out.hostnames.size() > max_origin_hostnames)
        invalid(hostnames_invalid, "at most " + std::to_string(max_origin_hostnames) + " hostnames");
    for (const auto& name : out.hostnames) check_hostname(name);
    return out;
}

}  // namespace api
