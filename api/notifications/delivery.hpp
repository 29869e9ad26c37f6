#pragma once
// The meaning of delivering: which deliveries go now (with the fault rules applied), the body
// and headers Cloudflare sends, and what an answer does (delivered, retried after a backoff,
// or failed). The worker in server/ only moves bytes between these and the network.
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.hpp"
#include "api/notifications/notifications.hpp"
#include "storage/notification_outbox.hpp"

namespace api {
struct Context;
}

namespace api::notifications {

struct Outgoing {
    std::int64_t delivery_id = 0;
    std::int64_t attempts = 0;  // made before this one
    std::string url, destination_id, event_type, body;
    HeaderList headers;
    int copies = 1;  // a duplicate fault sends it twice
};

// The generic webhook envelope around the event's payload (Cloudflare's webhook schema).
std::string envelope(const storage::Delivery& delivery);
// Content-Type, User-Agent and cf-webhook-auth (the destination's secret, verbatim).
HeaderList webhook_headers(const std::optional<std::string>& secret);

// The wait after the n-th failed attempt (n from 1): first_retry * 2^(n-1), at most max_retry_delay.
std::chrono::milliseconds retry_delay(const Settings& settings, std::int64_t failed_attempts);

// Deliveries due now, at most `limit`: each leased (not due again until its POST had time to
// answer, so a delivery the process died sending goes again after a restart), its first attempt
// faulted as the rules say (dropped ones are finished here and not returned; delayed and held
// ones wait).
std::vector<Outgoing> take_due(Context& context, std::int64_t limit);
// The receivers' answers (or their absence): each attempt stored and journaled, each delivery
// done, retried later, or failed after the last attempt; stored in one transaction (the worker
// records what arrived since its last pass together).
void answered_all(Context& context, const std::vector<std::pair<const Outgoing*, WebhookAnswer>>& answers);

// Cloudflare's "Save and Test" message, sent when a destination is created or changed.
inline constexpr std::string_view test_message =
    R"({"text":"Hello World! This is a test message sent from https://cloudflare.com. If you can see this, your webhook is configured properly."})";

}  // namespace api::notifications
