#include "api/emulator/inspection_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/custom_hostnames/hostname_json.hpp"
#include "api/emulator/control_errors.hpp"
#include "api/envelope.hpp"
#include "api/identifiers.hpp"
#include "crypto/csr.hpp"

namespace api::emulator {
namespace {

using nlohmann::json;

Response timeline(const Request& request, Context& context) {
    const std::string& id = request.param("custom_hostname_id");
    auto hostname = is_uuid(id) ? context.hostnames.find(request.param("zone_id"), id) : std::nullopt;
    if (!hostname) throw ApiError(control_item_not_found, "no custom hostname " + id + " in this zone");
    json changes = json::array();
    for (const auto& change : context.hostnames.history(id))
        changes.push_back({{"verification", change.verification}, {"status", change.status}, {"at", change.at}});
    return success({{"custom_hostname", custom_hostname_json(*hostname, context.log)}, {"timeline", changes}});
}

Response decoded(const Request& request, Context& context, storage::Scope scope, std::string_view owner) {
    const std::string& id = request.param("custom_csr_id");
    auto csr = is_uuid(id) ? context.csrs.find(scope, request.param(owner), id) : std::nullopt;
    if (!csr) throw ApiError(control_item_not_found, "no custom CSR " + id + " here");
    auto details = crypto::inspect_csr(csr->csr_pem);
    const auto& s = details.subject;
    std::string subject = "C=" + s.country + ", ST=" + s.state + ", L=" + s.locality + ", O=" + s.organization +
                          (s.organizational_unit ? ", OU=" + *s.organizational_unit : "") + ", CN=" + s.common_name;
    return success({{"id", id},
                    {"subject", subject},
                    {"sans", details.dns_sans},
                    {"key_type", details.key_description},
                    {"signature_algorithm", details.signature_algorithm},
                    {"signature_valid", details.signature_valid},
                    {"public_key", details.public_key_pem}});
}

}  // namespace

void add_inspection_routes(Router& router) {
    router.add("GET", "/_emulator/zones/{zone_id}/custom_hostnames/{custom_hostname_id}/timeline", timeline,
               Surface::emulator);
    router.add(
        "GET", "/_emulator/zones/{zone_id}/custom_csrs/{custom_csr_id}/decoded",
        [](const Request& r, Context& c) { return decoded(r, c, storage::Scope::zone, "zone_id"); }, Surface::emulator);
    router.add(
        "GET", "/_emulator/accounts/{account_id}/custom_csrs/{custom_csr_id}/decoded",
        [](const Request& r, Context& c) { return decoded(r, c, storage::Scope::account, "account_id"); },
        Surface::emulator);
}

}  // namespace api::emulator
