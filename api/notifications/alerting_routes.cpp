// /accounts/{account_id}/alerting/v3/destinations/webhooks and /alerting/v3/policies: an
// account's webhook destinations (each tested with Cloudflare's test message when created or
// changed) and the policies that send its alerts to them.
#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/json_body.hpp"
#include "api/notifications/alerting_routes.hpp"
#include "api/notifications/delivery.hpp"
#include "api/paging.hpp"
#include "api/router.hpp"
#include "api/time_text.hpp"

namespace api::notifications {
namespace {

using namespace alerting_errors;
using nlohmann::json;

const ErrorSpec undecodable{invalid_input.status, invalid_input.code, "Invalid request: the body is not a JSON object"};

[[noreturn]] void invalid(const std::string& why) { throw ApiError(invalid_input, fill(invalid_input.message, why)); }

std::string required_text(const json& body, std::string_view key) {
    auto value = string_field(body, key, undecodable);
    if (!value || value->empty()) invalid(std::string(key) + " is required and must be a non-empty string");
    return *value;
}

// Cloudflare derives a destination's type from its URL.
std::string type_of(const std::string& url) {
    if (url.find("://hooks.slack.com/") != std::string::npos) return "slack";
    if (url.find("://chat.googleapis.com/") != std::string::npos) return "gchat";
    return "generic";
}

json destination_json(const storage::AlertDestination& d) {
    json out = {{"id", d.id}, {"name", d.name}, {"url", d.url}, {"type", d.type}, {"created_at", d.created_at}};
    if (d.last_success) out["last_success"] = *d.last_success;
    if (d.last_failure) out["last_failure"] = *d.last_failure;
    return out;
}

json policy_json(const storage::AlertPolicy& p) {
    json out = {{"id", p.id},
                {"name", p.name},
                {"description", p.description},
                {"alert_type", p.alert_type},
                {"enabled", p.enabled},
                {"mechanisms", json::parse(p.mechanisms, nullptr, false)},
                {"filters", json::parse(p.filters, nullptr, false)},
                {"created", p.created},
                {"modified", p.modified}};
    if (p.alert_interval) out["alert_interval"] = *p.alert_interval;
    return out;
}

Response list_of(json items) {
    auto n = static_cast<std::int64_t>(items.size());
    return success_list(std::move(items), ResultInfo{1, std::max<std::int64_t>(n, 1), n, n});
}

// The destination a request names (name, url, secret), its URL checked.
storage::AlertDestination destination_from(const Request& request, Context& context) {
    json body = parse_object_body(request, undecodable);
    storage::AlertDestination d;
    d.account_id = request.param("account_id");
    d.name = required_text(body, "name");
    d.url = required_text(body, "url");
    if (!d.url.starts_with("http://") && !d.url.starts_with("https://"))
        invalid("url must be an http:// or https:// URL");
    d.secret = string_field(body, "secret", undecodable);
    d.type = type_of(d.url);
    d.created_at = rfc3339_seconds(context.now());
    return d;
}

// Sends the test message, then `store` and answers with its response; a non-2xx answer (or none)
// refuses the request. Without a sender (unit tests) the message is not sent.
void after_test(Context& context, const storage::AlertDestination& d, std::function<Response()> store,
                Completion done) {
    auto* sender = context.notifications->sender;
    if (!sender) return done(store());
    sender->post(d.url, webhook_headers(d.secret), std::string(test_message), context.notifications->settings.timeout,
                 [store = std::move(store), done](WebhookAnswer answer) {
                     try {
                         if (answer.status >= 200 && answer.status < 300) return done(store());
                         std::string what = answer.status ? std::to_string(answer.status) + " " + answer.reason
                                                          : "0 (" + answer.error + ")";
                         done(failure(ApiError(webhook_test_failed, fill(webhook_test_failed.message, what))));
                     } catch (const ApiError& e) {
                         done(failure(e));
                     } catch (const std::exception&) {
                         done(failure(ApiError(gateway_errors::internal)));
                     }
                 });
}

void create_destination(const Request& request, Context& context, Completion done) {
    auto d = destination_from(request, context);
    d.id = context.new_id();
    after_test(context, d, [&context, d] {
        context.alerting.insert(d);
        return success(json{{"id", d.id}}, 201);
    }, std::move(done));
}

void update_destination(const Request& request, Context& context, Completion done) {
    auto d = destination_from(request, context);
    d.id = request.param("webhook_id");
    auto stored = context.alerting.find_destination(d.account_id, d.id);
    if (!stored) throw ApiError(webhook_not_found);
    if (!d.secret) d.secret = stored->secret;  // a PUT without a secret keeps it
    after_test(context, d, [&context, d] {
        if (!context.alerting.update(d)) throw ApiError(webhook_not_found);
        return success(json{{"id", d.id}});
    }, std::move(done));
}

// A policy as the request describes it; every webhook it names must be the account's.
storage::AlertPolicy policy_from(const Request& request, Context& context) {
    json body = parse_object_body(request, undecodable);
    storage::AlertPolicy p;
    p.account_id = request.param("account_id");
    p.name = required_text(body, "name");
    p.alert_type = required_text(body, "alert_type");
    auto enabled = bool_field(body, "enabled", undecodable);
    if (!enabled) invalid("enabled is required and must be a boolean");
    p.enabled = *enabled;
    const json* mechanisms = object_field(body, "mechanisms", undecodable);
    if (!mechanisms) invalid("mechanisms is required and must be an object");
    for (const auto& [kind, targets] : mechanisms->items()) {
        if (!targets.is_array()) invalid("mechanisms." + kind + " must be an array");
        for (const auto& target : targets) {
            if (!target.is_object() || !target.contains("id") || !target["id"].is_string())
                invalid("mechanisms." + kind + " items must be objects with a string id");
            if (kind == "webhooks" && !context.alerting.find_destination(p.account_id, target["id"].get<std::string>()))
                invalid("mechanisms.webhooks names no webhook of this account: " + target["id"].get<std::string>());
        }
    }
    p.mechanisms = mechanisms->dump();
    const json* filters = object_field(body, "filters", undecodable);
    p.filters = filters ? filters->dump() : "{}";
    p.description = string_field(body, "description", undecodable).value_or("");
    p.alert_interval = string_field(body, "alert_interval", undecodable);
    p.created = p.modified = rfc3339_micros(context.now());
    return p;
}

}  // namespace

void add_alerting_routes(Router& router) {
    const std::string webhooks = "/accounts/{account_id}/alerting/v3/destinations/webhooks";
    const std::string webhook = webhooks + "/{webhook_id}";
    const std::string policies = "/accounts/{account_id}/alerting/v3/policies";
    const std::string policy = policies + "/{policy_id}";
    router.add("POST", webhooks, Handler(create_destination));
    router.add("GET", webhooks, SyncHandler([](const Request& request, Context& context) {
                   json items = json::array();
                   for (const auto& d : context.alerting.destinations(request.param("account_id")))
                       items.push_back(destination_json(d));
                   return list_of(std::move(items));
               }));
    router.add("GET", webhook, SyncHandler([](const Request& request, Context& context) {
                   auto d = context.alerting.find_destination(request.param("account_id"), request.param("webhook_id"));
                   if (!d) throw ApiError(webhook_not_found);
                   return success(destination_json(*d));
               }));
    router.add("PUT", webhook, Handler(update_destination));
    router.add("DELETE", webhook, SyncHandler([](const Request& request, Context& context) {
                   if (!context.alerting.remove_destination(request.param("account_id"), request.param("webhook_id")))
                       throw ApiError(webhook_not_found);
                   // Cloudflare's answer to a delete has no result.
                   return json_response(200, {{"success", true}, {"errors", json::array()}, {"messages", json::array()}});
               }));
    router.add("POST", policies, SyncHandler([](const Request& request, Context& context) {
                   auto p = policy_from(request, context);
                   p.id = context.new_id();
                   context.alerting.insert(p);
                   return success(json{{"id", p.id}});
               }));
    router.add("GET", policies, SyncHandler([](const Request& request, Context& context) {
                   json items = json::array();
                   for (const auto& p : context.alerting.policies(request.param("account_id")))
                       items.push_back(policy_json(p));
                   return list_of(std::move(items));
               }));
    router.add("GET", policy, SyncHandler([](const Request& request, Context& context) {
                   auto p = context.alerting.find_policy(request.param("account_id"), request.param("policy_id"));
                   if (!p) throw ApiError(policy_not_found);
                   return success(policy_json(*p));
               }));
    router.add("PUT", policy, SyncHandler([](const Request& request, Context& context) {
                   auto stored = context.alerting.find_policy(request.param("account_id"), request.param("policy_id"));
                   if (!stored) throw ApiError(policy_not_found);
                   auto p = policy_from(request, context);
                   p.id = stored->id;
                   p.created = stored->created;
                   if (!context.alerting.update(p)) throw ApiError(policy_not_found);
                   return success(json{{"id", p.id}});
               }));
    router.add("DELETE", policy, SyncHandler([](const Request& request, Context& context) {
                   if (!context.alerting.remove_policy(request.param("account_id"), request.param("policy_id")))
                       throw ApiError(policy_not_found);
                   return json_response(200, {{"success", true}, {"errors", json::array()}, {"messages", json::array()}});
               }));
}

}  // namespace api::notifications
