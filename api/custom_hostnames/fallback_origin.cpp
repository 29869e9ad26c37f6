#include <nlohmann/json.hpp>
#include "api/custom_hostnames/fallback_origin.hpp"

#include "api/context.hpp"
#include "api/custom_hostnames/origin_name.hpp"
#include "api/custom_hostnames/timestamps.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/service.hpp"
#include "storage/fallback_origin_repository.hpp"

namespace api {
namespace {

using nlohmann::json;
using storage::FallbackOrigin;

constexpr const char* pending_deployment = "pending_deployment";
constexpr const char* pending_deletion = "pending_deletion";

// The origin is checked as custom_origin_server is (codes 1415-1420): Cloudflare documents no
// codes for this route, and the fallback origin is the zone's default origin server.
std::string read_origin(const Request& request) {
    json body = parse_object_body(request, hostname_errors::body_undecodable);
    auto origin = string_field(body, "origin", hostname_errors::body_undecodable);
    if (!origin) throw ApiError(hostname_errors::origin_invalid);
    return checked_origin_name(*origin);
}

json to_json(const FallbackOrigin& row) {
    json result = {{"origin", row.origin},
                   {"status", row.status},
                   {"created_at", row.created_at},
                   {"updated_at", row.updated_at}};
    // Cloudflare's recorded active answer has no "errors"; it appears only when there are some.
    json errors = json::parse(row.errors, nullptr, false);
    if (errors.is_array() && !errors.empty()) result["errors"] = errors;
    return result;
}

bool checked_by_dns(const Context& context) {
    return context.validation.enabled && context.validation.mode == lifecycle::Mode::dns;
}

// Moves a pending status on once a step has passed since the last change (in dns mode a
// pending deployment waits for its check instead); a deletion that has run its course removes
// the row.
std::optional<FallbackOrigin> settle(storage::FallbackOriginRepository& repo, const std::string& zone_id,
                                     const Context& context, lifecycle::Duration step) {
    TimePoint now = context.now();
    auto row = repo.find(zone_id);
    if (!row) return row;
    auto changed = parse_rfc3339(row->updated_at);
    if (!changed || *changed + step > now) return row;
    if (row->status == pending_deployment && !checked_by_dns(context))
        repo.set_status(zone_id, pending_deployment, "active", "[]", rfc3339_micros(*changed + step));
    else if (row->status == pending_deletion)
        repo.remove_if(zone_id, pending_deletion);
    return repo.find(zone_id);
}

FallbackOrigin require(std::optional<FallbackOrigin> row) {
    if (!row) throw ApiError(fallback_origin_errors::not_found);
    return *row;
}

}  // namespace

void add_fallback_origin_routes(Router& router, lifecycle::Duration step) {
    const std::string path = "/zones/{zone_id}/custom_hostnames/fallback_origin";
    router.add("GET", path, [step](const Request& request, Context& context) {
        storage::FallbackOriginRepository repo(context.db);
        return success(to_json(require(settle(repo, request.param("zone_id"), context, step))));
    });
    router.add("PUT", path, [](const Request& request, Context& context) {
        std::string origin = read_origin(request);
        std::string now = rfc3339_micros(context.now());
        storage::FallbackOriginRepository repo(context.db);
        FallbackOrigin row{request.param("zone_id"), origin, pending_deployment, "[]", now, now};
        // dns mode: its first check is due now, on the settler's thread (never this one).
        if (checked_by_dns(context)) row.next_check_at = now;
        auto stored = repo.put(row);
        if (checked_by_dns(context) && context.validation.wake) context.validation.wake();
        return success(to_json(stored));
    });
    // The spec asks for a JSON body, the TypeScript SDK sends none: the body is not read.
    router.add("DELETE", path, [step](const Request& request, Context& context) {
        storage::FallbackOriginRepository repo(context.db);
        const std::string& zone_id = request.param("zone_id");
        FallbackOrigin row = require(settle(repo, zone_id, context, step));
        if (row.status != pending_deletion) {
            repo.set_status(zone_id, row.status, pending_deletion, row.errors, rfc3339_micros(context.now()));
            row = require(repo.find(zone_id));
        }
        return success(to_json(row));
    });
}

FallbackOrigin apply_origin_check(FallbackOrigin origin, bool resolves, TimePoint now, double scale) {
    if (resolves) {
        origin.status = "active";
        origin.errors = "[]";
        origin.attempts = 0;
        origin.next_check_at.reset();
        origin.updated_at = rfc3339_micros(now);
        return origin;
    }
    origin.errors = json::array({error_origin_not_resolving}).dump();
    ++origin.attempts;
    if (origin.attempts >= origin_max_attempts) {
        origin.status = origin_timed_out;
        origin.next_check_at.reset();
        origin.updated_at = rfc3339_micros(now);
    } else {
        origin.next_check_at = rfc3339_micros(now + lifecycle::retry_delay(static_cast<int>(origin.attempts) - 1, scale));
    }
    return origin;
}

void add_fallback_origin_routes(Router& router) { add_fallback_origin_routes(router, lifecycle::default_step); }

}  // namespace api
