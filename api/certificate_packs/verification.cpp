// /zones/{zone_id}/ssl/verification: the zone's certificate packs seen as SSL verification
// entries, and PATCH …/{certificate_pack_id} to change a pending pack's validation method.
#include <nlohmann/json.hpp>

#include "api/certificate_packs/pack_json.hpp"
#include "api/certificate_packs/pack_state.hpp"
#include "api/custom_hostnames/waiting_for_key.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/routes.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace certificate_pack_errors;
using nlohmann::json;

// The verification API's coarser statuses for the pack's.
std::string_view certificate_status(std::string_view status) {
    if (status == "pending_validation") return "authorizing";
    if (status == "pending_issuance") return "issuing";
    if (status.ends_with("_timed_out")) return "timing_out";
    if (status == "active" || status == "expired" || status == "pending_deployment") return status;
    return "initializing";
}

json verification_json(const storage::CertificatePack& pack) {
    json out = {{"cert_pack_uuid", pack.id},
                {"certificate_status", certificate_status(pack.status)},
                {"signature", "ECDSAWithSHA256"},  // the primary certificate's: the test CA signs with P-256
                {"brand_check", false}};
    // Email DCV has no record to show (the enum has no email).
    if (pack.validation_method == "email") return out;
    out["validation_method"] = pack.validation_method;
    if (!shows_validation_records(pack)) {
        if (pack.status == "active") out["verification_status"] = true;
        return out;
    }
    json records = pack_validation_records(pack);
    if (!records.empty()) {
        const json& first = records.front();
        if (pack.validation_method == "txt")
            out["verification_info"] = {{"record_name", first["txt_name"]}, {"record_target", first["txt_value"]}};
        else
            out["verification_info"] = {{"record_name", first["http_url"]}, {"record_target", first["http_body"]}};
    }
    out["verification_status"] = false;
    return out;
}

// ?retry=true asks for an immediate check: the packs are settled on every read already.
Response details(const Request& request, Context& context) {
    if (!context.zones.find(request.param("zone_id"))) throw ApiError(zone_not_found);
    Query query(request.query);
    if (auto retry = query.get("retry"); retry && *retry != "true")
        throw ApiError(request_invalid, fill(request_invalid.message, "retry must be true"));
    json items = json::array();
    for (auto& pack : context.certificate_packs.list(request.param("zone_id"))) {
        settle_and_store(context, pack, KeyMiss::wait);
        items.push_back(verification_json(pack));
    }
    return success(std::move(items));
}

// {"validation_method": "txt" | "http" | "email"} ("cname" is Cloudflare's retired method): a
// pack still waiting for validation changes method and shows the new records at once.
Response edit_method(const Request& request, Context& context) {
    if (!context.zones.find(request.param("zone_id"))) throw ApiError(zone_not_found);
    json body = parse_object_body(request, body_undecodable);
    auto method = string_field(body, "validation_method", request_invalid);
    if (!method || !one_of(*method, {"txt", "http", "email"}))
        throw ApiError(request_invalid, fill(request_invalid.message, "validation_method must be txt, http or email"));
    const std::string& id = request.param("certificate_pack_id");
    if (!is_uuid(id)) throw ApiError(not_found);
    auto pack = context.certificate_packs.find(request.param("zone_id"), id);
    if (!pack) throw ApiError(not_found);
    settle_and_store(context, *pack, KeyMiss::wait);
    if (*method == "http")
        for (const auto& host : pack->hosts)
            if (host.starts_with("*."))
                throw ApiError(request_invalid,
                               fill(request_invalid.message, "a wildcard host is validated by txt or email, not http"));
    if (pack->status != "pending_validation" && pack->status != "initializing")
        throw ApiError(request_invalid, fill(request_invalid.message, "the validation method of a " + pack->status +
                                                                          " certificate pack cannot change"));
    pack->validation_method = *method;
    if (!context.certificate_packs.update(*pack)) throw ApiError(not_found);
    return success({{"status", pack->status}, {"validation_method", pack->validation_method}});
}

}  // namespace

void add_ssl_verification_routes(Router& router) {
    router.add("GET", "/zones/{zone_id}/ssl/verification", waiting_for_rsa_key(details));
    router.add("PATCH", "/zones/{zone_id}/ssl/verification/{certificate_pack_id}", waiting_for_rsa_key(edit_method));
}

}  // namespace api
