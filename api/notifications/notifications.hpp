#pragma once
// Notifications of custom hostname certificates to webhooks (Cloudflare's SaaS certificate
// alert): the settings, the webhook sender api/ asks of server/, and what the delivery worker
// and the control plane share (fault rules, the journal). One per Context.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/http_types.hpp"

namespace api {
struct Context;
}

namespace api::emulator {
class Journal;
}

namespace api::notifications {

// The alert type of "SSL for SaaS Custom Hostnames Alert". Cloudflare documents none; this is
// the only SSL event type of the schema's enum that fits (listed in README).
inline constexpr std::string_view saas_alert_type = "custom_ssl_certificate_event_type";
inline constexpr std::string_view event_prefix = "ssl.custom_hostname_certificate.";
// Certificate packs are "Advanced certificates": their alert is the "Advanced Certificate Alert".
// Its payload is undocumented; the event names are the SaaS ones under this prefix (README).
inline constexpr std::string_view pack_alert_type = "dedicated_ssl_certificate_event_type";
inline constexpr std::string_view pack_event_prefix = "ssl.certificate_pack.";

struct Settings {
    // The account every zone belongs to (whose policies receive its events): Cloudflare's
    // example account id unless --account-id says otherwise.
    std::string account_id = "023e105f4ecef8ad9ca31a8372d0c353";
    std::chrono::milliseconds timeout{5000};      // one POST: connect, send, answer
    std::chrono::milliseconds first_retry{1000};  // then doubling, at most max_retry_delay
    std::chrono::milliseconds max_retry_delay{300'000};
    int max_attempts = 5;  // then the delivery is failed
};

struct WebhookAnswer {
    int status = 0;     // 0: no HTTP answer (refused, timed out, bad URL)
    std::string reason;  // the status line's reason phrase
    std::string body;
    std::string error;  // why there was no answer
};

// POSTs one message; `done` runs exactly once on the sender's thread, never on the caller's.
class WebhookSender {
public:
    virtual ~WebhookSender() = default;
    virtual void post(const std::string& url, const HeaderList& headers, const std::string& body,
                      std::chrono::milliseconds timeout, std::function<void(WebhookAnswer)> done) = 0;
    static constexpr std::size_t max_answer_body = 4096;  // kept of a receiver's answer
};

// A control-plane rule on deliveries: drop (never sent), delay (the first attempt waits
// `delay`), duplicate (sent twice), reorder (held back until the destination's next delivery
// went, at most `delay`). Matches event types ending in `event` (all when empty), `times`
// deliveries (unlimited when none).
struct DeliveryFault {
    std::string action;
    std::string event;
    std::chrono::milliseconds delay{0};
    std::optional<int> times;
};

class Notifications {
public:
    Settings settings;
    WebhookSender* sender = nullptr;                  // set by the server; none in unit tests
    std::function<void()> wake = [] {};               // the delivery worker looks now
    std::function<std::int64_t()> wall_ms;            // wall clock in ms (retries are real time)
    emulator::Journal* journal = nullptr;             // every attempt is journaled when set

    Notifications();

    void add_fault(DeliveryFault fault);
    void clear_faults();
    std::vector<DeliveryFault> faults() const;
    // The rule for a delivery's first attempt, its `times` counted down; none when no rule matches.
    std::optional<DeliveryFault> fault_for(const std::string& event_type);

    // Reorder: the delivery held for a destination, released when another one to it went.
    void hold(const std::string& destination_id, std::int64_t delivery_id);
    std::optional<std::int64_t> release(const std::string& destination_id);
    // Deliveries whose first attempt saw the fault rules already (so a retry or a delayed one is
    // not faulted again).
    bool first_time(std::int64_t delivery_id);

private:
    mutable std::mutex mutex_;
    std::vector<DeliveryFault> faults_;
    std::map<std::string, std::int64_t> held_;
    std::set<std::int64_t> seen_;
};

// The account a zone belongs to: a zone that exists (POST /zones, --zone, a seed) carries its
// own; any other zone id belongs to --account-id. `in_write`: asked by an observer of a storage
// write, which holds the database's lock already.
std::string account_of_zone(Context& context, const std::string& zone_id, bool in_write = false);

}  // namespace api::notifications
