// /zones: create, list, get and delete the zones that exist. A zone id used without one keeps
// working for every other route, as it always has.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/gateway_fidelity.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "api/routes.hpp"
#include "api/text.hpp"
#include "api/zones/zone_json.hpp"
#include "api/zones/zone_names.hpp"
#include "api/zones/zone_settings.hpp"

namespace api {
namespace {

using namespace zone_errors;

std::string new_zone_id(Context& context) {
    std::string id = context.new_id();
    id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
    return id;
}

storage::Zone new_zone(Context& context, std::string name, std::string account_id, std::string type,
                       std::chrono::seconds activation) {
    TimePoint now = context.now();
    storage::Zone zone;
    zone.id = new_zone_id(context);
    zone.name = std::move(name);
    zone.account_id = std::move(account_id);
    zone.type = std::move(type);
    zone.created_on = zone.modified_on = rfc3339_micros(now);
    zone.activated_on = rfc3339_micros(now + activation);
    return zone;
}

Response one_zone(Context& context, const storage::Zone& zone) {
    SuccessBody body;
    JsonWriter out(body.out());
    write_zone(out, zone, rfc3339_micros(context.now()));
    return body.finish();
}

Response create(const Request& request, Context& context) {
    nlohmann::json body = parse_object_body(request, body_undecodable);
    auto name = string_field(body, "name", body_undecodable);
    if (!name || !is_zone_name(*name)) throw ApiError(name_invalid, fill(name_invalid.message, name.value_or("")));
    const nlohmann::json* account = object_field(body, "account", body_undecodable);
    auto account_id = account ? string_field(*account, "id", account_invalid) : std::nullopt;
    if (!account_id || !emulator::is_object_identifier(*account_id)) throw ApiError(account_invalid);
    std::string type = string_field(body, "type", type_invalid).value_or("full");
    if (type != "full" && type != "partial" && type != "secondary") throw ApiError(type_invalid);
    auto zone = new_zone(context, lowercase(*name), lowercase(*account_id), type, context.zone_settings.activation);
    if (!context.zones.insert(zone)) throw ApiError(already_exists, fill(already_exists.message, zone.name));
    return one_zone(context, zone);
}

// "contains:x", "starts_with:x", "ends_with:x" (and their *_case_sensitive forms, compared the
// same way: zone names are lower case) as a LIKE pattern; "equal:x" or plain x as the name.
void read_name_filter(const std::string& value, storage::ZoneFilter& filter) {
    auto escaped = [](std::string_view text) {
        std::string out;
        for (char c : text) {
            if (c == '%' || c == '_' || c == '\\') out += '\\';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return out;
    };
    auto colon = value.find(':');
    std::string op = colon == std::string::npos ? "" : value.substr(0, colon);
    std::string operand = colon == std::string::npos ? value : value.substr(colon + 1);
    if (op.ends_with("_case_sensitive")) op.resize(op.size() - std::string_view("_case_sensitive").size());
    if (op == "contains") filter.name_like = "%" + escaped(operand) + "%";
    else if (op == "starts_with") filter.name_like = escaped(operand) + "%";
    else if (op == "ends_with") filter.name_like = "%" + escaped(operand);
    else if (op == "equal") filter.name = lowercase(operand);
    else if (op == "not_equal") throw ApiError(filter_invalid, "The name operator not_equal is not supported.");
    else filter.name = lowercase(value);
}

Response list(const Request& request, Context& context) {
    Query query(request.query);
    Paging paging = read_paging(query, 20, filter_invalid);
    storage::ZoneFilter filter;
    filter.now = rfc3339_micros(context.now());
    filter.descending = read_descending(query, filter_invalid);
    if (auto name = query.get("name")) read_name_filter(*name, filter);
    if (auto account = query.get("account.id")) filter.account_id = lowercase(*account);
    bool nothing = false;  // statuses no emulated zone has
    if (auto status = query.get("status")) {
        if (*status == "active") filter.active = true;
        else if (*status == "pending") filter.active = false;
        else if (*status == "initializing" || *status == "moved") nothing = true;
        else throw ApiError(filter_invalid, "Invalid value for 'status'.");
    }
    if (auto order = query.get("order");
        order && *order != "name" && *order != "status" && *order != "account.id" && *order != "account.name")
        throw ApiError(filter_invalid, "Invalid value for 'order'.");
    storage::ZonePage page;
    if (!nothing) page = context.zones.list(filter, paging.page, paging.per_page);
    SuccessBody body(page.items.size() * 1200 + 64);
    JsonWriter out(body.out());
    out.begin_array();
    for (const auto& zone : page.items) write_zone(out, zone, filter.now);
    out.end_array();
    return body.finish_list(page_info(paging, page.items.size(), page.total_count));
}

Response get(const Request& request, Context& context) {
    auto zone = context.zones.find(request.param("zone_id"));
    if (!zone) throw ApiError(not_found);
    return one_zone(context, *zone);
}

// The zone goes; what was made under its id stays (the id keeps working as any unnamed zone).
Response remove(const Request& request, Context& context) {
    const std::string& id = request.param("zone_id");
    if (!context.zones.remove(id)) throw ApiError(not_found);
    return success({{"id", id}});
}

}  // namespace

std::vector<std::string> ensure_configured_zones(Context& context) {
    std::vector<std::string> refused;
    for (const auto& configured : context.zone_settings.configured) {
        std::string name = lowercase(configured.name);
        if (context.zones.find_by_name(name)) continue;
        auto zone = new_zone(context, name, context.notifications->settings.account_id, "full", std::chrono::seconds(0));
        if (configured.id) zone.id = lowercase(*configured.id);
        if (!context.zones.insert(zone)) refused.push_back(name);
    }
    return refused;
}

void add_zone_routes(Router& router) {
    router.add("POST", "/zones", create);
    router.add("GET", "/zones", list);
    router.add("GET", "/zones/{zone_id}", get);
    router.add("DELETE", "/zones/{zone_id}", remove);
}

}  // namespace api
