// The emulator's notification routes: every delivery with its attempts, a hostname's event fired
// on demand, and fault rules for deliveries (drop, delay, duplicate, reorder).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/control_errors.hpp"
#include "api/envelope.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/notifications/alerting_routes.hpp"
#include "api/notifications/certificate_events.hpp"
#include "api/notifications/delivery.hpp"
#include "api/query.hpp"
#include "api/router.hpp"

namespace api::notifications {
namespace {

using emulator::invalid_control_request;
using nlohmann::json;

[[noreturn]] void refuse(const std::string& why) { throw ApiError(invalid_control_request, why); }

json delivery_json(const storage::Delivery& d) {
    json attempts = json::array();
    for (const auto& a : d.history)
        attempts.push_back({{"attempt", a.attempt}, {"at", a.at}, {"status", a.status}, {"response", a.response},
                            {"error", a.error}});
    json out = {{"id", d.id},
                {"event_id", d.event.id},
                {"event_type", d.event.type},
                {"created_at", d.event.created_at},
                {"zone_id", d.event.zone_id},
                {"policy_id", d.policy_id},
                {"destination_id", d.destination_id},
                {"url", d.url},
                {"state", d.state},
                {"attempts", attempts},
                {"body", json::parse(envelope(d), nullptr, false)}};
    if (d.last_status) out["last_status"] = *d.last_status;
    if (d.finished_at) out["finished_at"] = *d.finished_at;
    return out;
}

json fault_json(const DeliveryFault& f) {
    json out = {{"action", f.action}, {"event", f.event}, {"delay_ms", f.delay.count()}};
    if (f.times) out["times"] = *f.times;
    return out;
}

DeliveryFault fault_from(const json& body) {
    DeliveryFault f;
    f.action = string_field(body, "action", invalid_control_request).value_or("");
    if (f.action != "drop" && f.action != "delay" && f.action != "duplicate" && f.action != "reorder")
        refuse("action must be drop, delay, duplicate or reorder");
    f.event = string_field(body, "event", invalid_control_request).value_or("");
    auto delay = integer_field(body, "delay_ms", invalid_control_request);
    if (delay && (*delay < 0 || *delay > 3'600'000)) refuse("delay_ms must be 0 to 3600000");
    f.delay = std::chrono::milliseconds(delay.value_or(f.action == "reorder" ? 2000 : 0));
    if (auto times = integer_field(body, "times", invalid_control_request)) {
        if (*times < 1) refuse("times must be at least 1");
        f.times = static_cast<int>(std::min<std::int64_t>(*times, 1'000'000));
    }
    return f;
}

}  // namespace

void add_notification_routes(Router& router) {
    router.add(
        "GET", "/_emulator/notifications/deliveries",
        SyncHandler([](const Request& request, Context& context) {
            Query query(request.query);
            auto type = query.get("type");
            auto destination = query.get("destination_id");
            std::int64_t limit = 100;
            if (auto text = query.get("limit")) {
                try {
                    limit = std::clamp<std::int64_t>(std::stoll(*text), 1, 1000);
                } catch (const std::exception&) {
                    refuse("limit must be a number");
                }
            }
            json items = json::array();
            for (const auto& d : context.outbox.list(limit, type, destination)) items.push_back(delivery_json(d));
            auto counts = context.outbox.counts();
            return success({{"deliveries", items},
                            {"counts",
                             {{"pending", counts.pending}, {"delivered", counts.delivered}, {"failed", counts.failed},
                              {"dropped", counts.dropped}, {"retried", counts.retried}}}});
        }),
        Surface::emulator);
    router.add(
        "POST", "/_emulator/zones/{zone_id}/custom_hostnames/{custom_hostname_id}/notify",
        SyncHandler([](const Request& request, Context& context) {
            json body = parse_object_body(request, invalid_control_request);
            auto name = string_field(body, "event", invalid_control_request).value_or("");
            if (name.starts_with(event_prefix)) name = name.substr(event_prefix.size());
            const auto& names = event_names();
            if (std::find(names.begin(), names.end(), name) == names.end())
                refuse("event must be one of Cloudflare's ssl.custom_hostname_certificate.* events");
            const auto& id = request.param("custom_hostname_id");
            auto h = is_uuid(id) ? context.hostnames.find(request.param("zone_id"), id) : std::nullopt;
            if (!h || !h->ssl) throw ApiError(emulator::control_item_not_found, "No custom hostname with ssl at " + id);
            bool detached = body.value("detached", false);
            auto events = outbox_events(context, {name}, *h, detached, account_of_zone(context, h->zone_id));
            context.outbox.append(events);
            context.notifications->wake();
            return success({{"id", events.front().id}, {"type", events.front().type}});
        }),
        Surface::emulator);
    router.add(
        "GET", "/_emulator/notifications/faults",
        SyncHandler([](const Request&, Context& context) {
            json items = json::array();
            for (const auto& f : context.notifications->faults()) items.push_back(fault_json(f));
            return success(items);
        }),
        Surface::emulator);
    router.add(
        "POST", "/_emulator/notifications/faults",
        SyncHandler([](const Request& request, Context& context) {
            auto fault = fault_from(parse_object_body(request, invalid_control_request));
            context.notifications->add_fault(fault);
            return success(fault_json(fault));
        }),
        Surface::emulator);
    router.add(
        "DELETE", "/_emulator/notifications/faults",
        SyncHandler([](const Request&, Context& context) {
            context.notifications->clear_faults();
            return success(json::object());
        }),
        Surface::emulator);
}

}  // namespace api::notifications
