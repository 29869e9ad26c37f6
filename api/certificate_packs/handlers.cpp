// /zones/{zone_id}/ssl/certificate_packs: list, order, quota, get, restart validation (PATCH),
// delete. Advanced packs only: the emulator orders no universal or custom packs.
#include <nlohmann/json.hpp>

#include "api/certificate_packs/pack_json.hpp"
#include "api/certificate_packs/pack_state.hpp"
#include "api/certificate_packs/request.hpp"
#include "api/custom_hostnames/dcv_records.hpp"
#include "api/custom_hostnames/waiting_for_key.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "api/routes.hpp"

namespace api {
namespace {

using namespace certificate_pack_errors;
using nlohmann::json;

// ACM sets no documented per-zone limit; the emulator allows this many packs (README).
constexpr std::int64_t pack_quota = 100;

storage::Zone zone_of(const Request& request, Context& context) {
    auto zone = context.zones.find(request.param("zone_id"));
    if (!zone) throw ApiError(zone_not_found);
    return *zone;
}

storage::CertificatePack find_settled(const Request& request, Context& context) {
    const std::string& id = request.param("certificate_pack_id");
    if (!is_uuid(id)) throw ApiError(not_found);
    auto pack = context.certificate_packs.find(request.param("zone_id"), id);
    if (!pack) throw ApiError(not_found);
    settle_and_store(context, *pack, KeyMiss::wait);
    return *pack;
}

Response order(const Request& request, Context& context) {
    storage::Zone zone = zone_of(request, context);
    CertificatePackOrder input =
        read_certificate_pack_order(parse_object_body(request, body_undecodable), zone.name);
    // Counted before the insert: two orders racing for the last place may both get in.
    if (context.certificate_packs.count(zone.id) >= pack_quota) throw ApiError(quota_exceeded);
    // Member by member: the lifecycle fills the rest (a designated initializer that leaves
    // them out draws GCC 12's -Wmissing-field-initializers).
    storage::CertificatePack pack;
    pack.id = context.new_id();
    pack.zone_id = zone.id;
    pack.hosts = std::move(input.hosts);
    pack.validation_method = std::move(input.validation_method);
    pack.certificate_authority = std::move(input.certificate_authority);
    pack.validity_days = input.validity_days;
    pack.cloudflare_branding = input.cloudflare_branding;
    pack.created_at = rfc3339_micros(context.now());
    pack.dcv_token = dcv_token_from_id(context.new_id());
    start_lifecycle(context, pack, KeyMiss::wait);
    context.certificate_packs.insert(pack);
    return success(certificate_pack_json(pack));
}

// Active packs only unless status=all (Cloudflare's default); paged as the SDKs page them.
Response list(const Request& request, Context& context) {
    storage::Zone zone = zone_of(request, context);
    Query query(request.query);
    auto status = query.get("status");
    if (status && *status != "all") throw ApiError(request_invalid, fill(request_invalid.message, "status must be all"));
    Paging paging = read_paging(query, 20, request_invalid);
    std::vector<storage::CertificatePack> shown;
    for (auto& pack : context.certificate_packs.list(zone.id)) {
        settle_and_store(context, pack, KeyMiss::wait);
        if (status || pack.status == "active") shown.push_back(std::move(pack));
    }
    json items = json::array();
    const auto first = static_cast<std::size_t>((paging.page - 1) * paging.per_page);
    for (std::size_t i = first; i < shown.size() && i < first + static_cast<std::size_t>(paging.per_page); ++i)
        items.push_back(certificate_pack_json(shown[i]));
    const std::size_t count = items.size();
    return success_list(std::move(items), page_info(paging, count, static_cast<std::int64_t>(shown.size())));
}

Response get(const Request& request, Context& context) {
    zone_of(request, context);
    return success(certificate_pack_json(find_settled(request, context)));
}

// Restarts validation of a pack that timed out; {"cloudflare_branding": true} (2026) adds the
// branding, for the next certificates issued. Anything else is refused.
Response restart(const Request& request, Context& context) {
    zone_of(request, context);
    json body = request.body.empty() ? json::object() : parse_object_body(request, body_undecodable);
    auto branding = bool_field(body, "cloudflare_branding", request_invalid);
    storage::CertificatePack pack = find_settled(request, context);
    bool timed_out = pack.status == "validation_timed_out";
    if (!timed_out && !branding) throw ApiError(restart_refused, fill(restart_refused.message, pack.status));
    if (branding) pack.cloudflare_branding = *branding;
    if (timed_out) start_lifecycle(context, pack, KeyMiss::wait);
    if (!context.certificate_packs.update(pack)) throw ApiError(not_found);
    return success(certificate_pack_json(pack));
}

Response remove(const Request& request, Context& context) {
    zone_of(request, context);
    const std::string& id = request.param("certificate_pack_id");
    if (!is_uuid(id) || !context.certificate_packs.remove(request.param("zone_id"), id)) throw ApiError(not_found);
    return success({{"id", id}});
}

Response quota(const Request& request, Context& context) {
    storage::Zone zone = zone_of(request, context);
    return success({{"advanced", {{"allocated", pack_quota}, {"used", context.certificate_packs.count(zone.id)}}}});
}

}  // namespace

void add_certificate_pack_routes(Router& router) {
    const std::string base = "/zones/{zone_id}/ssl/certificate_packs";
    router.add("GET", base, waiting_for_rsa_key(list));
    router.add("POST", base + "/order", waiting_for_rsa_key(order));
    router.add("GET", base + "/quota", quota);
    router.add("GET", base + "/{certificate_pack_id}", waiting_for_rsa_key(get));
    router.add("PATCH", base + "/{certificate_pack_id}", waiting_for_rsa_key(restart));
    router.add("DELETE", base + "/{certificate_pack_id}", remove);
}

}  // namespace api
