#include <nlohmann/json.hpp>
#include "api/custom_hostnames/fallback_origin.hpp"

#include "api/context.hpp"
#include "api/custom_hostnames/origin_name.hpp"
#include "api/time_text.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "api/stored_json.hpp"
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

json to_json(const FallbackOrigin& row, const LogSink& log) {
    json result = {{"origin", row.origin},
                   {"status", row.status},
                   {"created_at", row.created_at},
                   {"updated_at", row.updated_at}};
    // Cloudflare's recorded active answer has no "errors"; it appears only when there are some.
    auto errors =
        read_stored_json(row.errors, StoredJson::array_of_strings, log, "fallback_origins/" + row.zone_id + "/errors");
    if (errors && !errors->empty()) result["errors"] = std::move(*errors);
    return result;
}

bool checked_by_dns(const Context& context) {
    return context.validation.enabled && context.validation.mode == lifecycle::Mode::dns;
}

// How long a pending status lasts before it moves on by itself, the hostnames' way: no wait
// with --validation off (settled in the request, as hostnames are at creation), the step in
// auto mode (and for a deletion in dns mode); nullopt when only something else moves it: the
// emulator's advance route in manual mode, the resolution check for a dns-mode deployment.
std::optional<lifecycle::Duration> pending_for(const Context& context, std::string_view status) {
    if (!context.validation.enabled) return lifecycle::Duration(0);
    if (context.validation.mode == lifecycle::Mode::manual) return std::nullopt;
    if (status == pending_deployment && checked_by_dns(context)) return std::nullopt;
    return context.validation.step;
}

// A pending deployment made active at `at`, stored only if the row is still as `seen` (a PUT or
// DELETE meanwhile wins; the same conditional store as a dns check's outcome).
bool activate(storage::FallbackOriginRepository& repo, const FallbackOrigin& seen, TimePoint at) {
    FallbackOrigin active = seen;
    active.status = "active";
    active.errors = "[]";
    active.attempts = 0;
    active.next_check_at.reset();
    active.updated_at = rfc3339_micros(at);
    return repo.record_check(seen, active);
}

// Moves a pending status on once its time (pending_for) has passed since the last change,
// dated when it was due; a deletion that has run its course removes the row.
std::optional<FallbackOrigin> settle(storage::FallbackOriginRepository& repo, const std::string& zone_id,
                                     const Context& context) {
    auto row = repo.find(zone_id);
    if (!row || (row->status != pending_deployment && row->status != pending_deletion)) return row;
    auto wait = pending_for(context, row->status);
    auto changed = parse_rfc3339(row->updated_at);
    if (!wait || !changed || *changed + *wait > context.now()) return row;
    if (row->status == pending_deployment)
        activate(repo, *row, *changed + *wait);
    else
        repo.remove_if(zone_id, pending_deletion);
    return repo.find(zone_id);
}

FallbackOrigin require(std::optional<FallbackOrigin> row) {
    if (!row) throw ApiError(fallback_origin_errors::not_found);
    return *row;
}

// The emulator's hand-driven move (any mode; the only one in manual mode): one state forward,
// as the step would. A removed origin is answered once more, as "deleted" (Cloudflare's word
// for the end of pending_deletion in its webhooks), since there is no row left to show.
Response advance(const Request& request, Context& context) {
    auto& repo = context.fallback_origins;
    const std::string& zone_id = request.param("zone_id");
    FallbackOrigin row = require(settle(repo, zone_id, context));
    TimePoint now = context.now();
    if (row.status == pending_deployment) {
        activate(repo, row, now);
        return success(to_json(require(repo.find(zone_id)), context.log));
    }
    if (row.status == pending_deletion) {
        repo.remove_if(zone_id, pending_deletion);
        row.status = "deleted";
        row.updated_at = rfc3339_micros(now);
        return success(to_json(row, context.log));
    }
    throw ApiError(409, {ErrorItem{1400,
                                   "Illegal lifecycle move: the fallback origin is " + row.status +
                                       "; only pending_deployment and pending_deletion move forward.",
                                   {}}});
}

}  // namespace

std::optional<FallbackOrigin> settle_fallback_origin(Context& context, const std::string& zone_id) {
    auto& repo = context.fallback_origins;
    return settle(repo, zone_id, context);
}

void add_fallback_origin_routes(Router& router) {
    const std::string path = "/zones/{zone_id}/custom_hostnames/fallback_origin";
    router.add("GET", path, [](const Request& request, Context& context) {
        auto& repo = context.fallback_origins;
        return success(to_json(require(settle(repo, request.param("zone_id"), context)), context.log));
    });
    router.add("PUT", path, [](const Request& request, Context& context) {
        std::string origin = read_origin(request);
        std::string now = rfc3339_micros(context.now());
        auto& repo = context.fallback_origins;
        // Off mode (or step 0): deployed in the request, as an uploaded certificate is.
        const bool at_once = pending_for(context, pending_deployment) == lifecycle::Duration(0);
        FallbackOrigin row{request.param("zone_id"), origin, at_once ? "active" : pending_deployment, "[]", now, now};
        // dns mode: its first check is due now, on the settler's thread (never this one).
        if (checked_by_dns(context)) row.next_check_at = now;
        auto stored = repo.put(row);
        if (checked_by_dns(context) && context.validation.wake) context.validation.wake();
        return success(to_json(stored, context.log));
    });
    // The spec asks for a JSON body, the TypeScript SDK sends none: the body is not read.
    router.add("DELETE", path, [](const Request& request, Context& context) {
        auto& repo = context.fallback_origins;
        const std::string& zone_id = request.param("zone_id");
        FallbackOrigin row = require(settle(repo, zone_id, context));
        if (row.status != pending_deletion) {
            repo.set_status(zone_id, row.status, pending_deletion, row.errors, rfc3339_micros(context.now()));
            row = require(repo.find(zone_id));
        }
        // Off mode (or step 0): gone in the request; the answer still shows pending_deletion,
        // as Cloudflare's DELETE answer does.
        if (pending_for(context, pending_deletion) == lifecycle::Duration(0)) repo.remove_if(zone_id, pending_deletion);
        return success(to_json(row, context.log));
    });
    router.add("POST", "/_emulator" + path + "/advance", advance, Surface::emulator);
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

}  // namespace api
