#include "api/notifications/delivery.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/emulator/journal.hpp"
#include "api/time_text.hpp"

namespace api::notifications {
namespace {

using nlohmann::json;

std::string wall_text(const Notifications& hub) {
    return rfc3339_micros(TimePoint(std::chrono::milliseconds(hub.wall_ms())));
}

// How long a taken delivery is not due again: its POST's timeout and a margin.
std::int64_t lease_ms(const Settings& settings) { return settings.timeout.count() + 1000; }

void journal(Context& context, const Outgoing& outgoing, const WebhookAnswer& answer) {
    auto* journal = context.notifications->journal;
    if (!journal) return;
    emulator::JournalEntry entry;
    entry.time = context.now();
    entry.method = "POST";
    entry.path = outgoing.url;
    entry.status = answer.status;
    entry.credential_kind = "webhook";
    entry.request_body = outgoing.body;
    entry.response_body = answer.status ? answer.body : answer.error;
    journal->record(std::move(entry));
}

}  // namespace

std::string envelope(const storage::Delivery& d) {
    json payload = json::parse(d.event.payload, nullptr, false);
    std::string hostname = payload.is_object() ? payload["data"].value("hostname", std::string()) : std::string();
    auto created = parse_rfc3339(d.event.created_at);
    std::int64_t ts = created ? std::chrono::duration_cast<std::chrono::seconds>(created->time_since_epoch()).count() : 0;
    json body = {{"name", d.policy_name},
                 {"text", "SSL for SaaS Custom Hostnames Alert: " + d.event.type +
                              (hostname.empty() ? std::string() : " for " + hostname)},
                 {"data", payload},
                 {"ts", ts},
                 {"account_id", d.event.account_id},
                 {"policy_id", d.policy_id},
                 {"policy_name", d.policy_name},
                 {"alert_type", d.event.alert_type},
                 {"alert_correlation_id", d.event.id},
                 {"alert_event", "ALERT_STATE_EVENT_START"}};
    return body.dump();
}

HeaderList webhook_headers(const std::optional<std::string>& secret) {
    HeaderList headers{{"Content-Type", "application/json"}, {"User-Agent", "Cloudflare-Notifications"}};
    if (secret && !secret->empty()) headers.emplace_back("cf-webhook-auth", *secret);
    return headers;
}

std::chrono::milliseconds retry_delay(const Settings& settings, std::int64_t failed_attempts) {
    auto delay = settings.first_retry;
    for (std::int64_t i = 1; i < failed_attempts && delay < settings.max_retry_delay; ++i) delay *= 2;
    return std::min(delay, settings.max_retry_delay);
}

std::vector<Outgoing> take_due(Context& context, std::int64_t limit) {
    auto& hub = *context.notifications;
    std::int64_t now = hub.wall_ms();
    std::vector<Outgoing> out;
    std::vector<std::pair<std::int64_t, std::int64_t>> leases;
    for (auto& d : context.outbox.due(now, limit)) {
        int copies = 1;
        if (d.attempts == 0 && hub.first_time(d.id)) {
            if (auto fault = hub.fault_for(d.event.type)) {
                if (fault->action == "drop") {
                    context.outbox.finish(d.id, "dropped", wall_text(hub));
                    continue;
                }
                if (fault->action == "delay") {
                    context.outbox.postpone(d.id, now + fault->delay.count());
                    continue;
                }
                if (fault->action == "reorder") {
                    // Held until the destination's next delivery went (or the delay passed).
                    hub.hold(d.destination_id, d.id);
                    context.outbox.postpone(d.id, now + std::max<std::int64_t>(fault->delay.count(), 1));
                    continue;
                }
                if (fault->action == "duplicate") copies = 2;
            }
        }
        leases.emplace_back(d.id, now + lease_ms(hub.settings));
        Outgoing o;
        o.delivery_id = d.id;
        o.attempts = d.attempts;
        o.url = d.url;
        o.destination_id = d.destination_id;
        o.event_type = d.event.type;
        o.body = envelope(d);
        o.headers = webhook_headers(d.secret);
        o.copies = copies;
        out.push_back(std::move(o));
    }
    // Leased before any of them is sent (the caller sends what this returns), in one commit.
    context.outbox.postpone_all(leases);
    return out;
}

void answered_all(Context& context, const std::vector<std::pair<const Outgoing*, WebhookAnswer>>& answers) {
    auto& hub = *context.notifications;
    std::vector<storage::RecordedAnswer> records;
    records.reserve(answers.size());
    for (const auto& [outgoing, answer] : answers) {
        bool ok = answer.status >= 200 && answer.status < 300;
        std::int64_t made = outgoing->attempts + 1;
        storage::RecordedAnswer r;
        r.delivery_id = outgoing->delivery_id;
        r.attempt = {made, wall_text(hub), answer.status, answer.body, answer.error};
        r.destination_id = outgoing->destination_id;
        r.destination_ok = ok;
        if (ok) {
            r.state = "delivered";
            r.finished_at = r.attempt.at;
        } else if (made >= hub.settings.max_attempts) {
            r.state = "failed";
            r.finished_at = r.attempt.at;
        } else {
            r.state = "pending";
            r.next_attempt_ms = hub.wall_ms() + retry_delay(hub.settings, made).count();
        }
        records.push_back(std::move(r));
    }
    context.outbox.record_all(records);
    bool wake = false;
    for (const auto& [outgoing, answer] : answers) {
        journal(context, *outgoing, answer);
        // A delivery held back for this destination (reorder) goes now, after this one.
        if (auto held = hub.release(outgoing->destination_id); held && *held != outgoing->delivery_id) {
            context.outbox.postpone(*held, hub.wall_ms());
            wake = true;
        }
        if (!(answer.status >= 200 && answer.status < 300)) wake = true;
    }
    if (wake) hub.wake();
}

}  // namespace api::notifications
