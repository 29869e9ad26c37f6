#include "api/emulator/control_plane.hpp"

#include <random>

#include "api/emulator/clock_routes.hpp"
#include "api/emulator/fault_routes.hpp"
#include "api/emulator/journal_routes.hpp"
#include "api/emulator/metrics_routes.hpp"
#include "api/emulator/rate_limit_routes.hpp"
#include "api/emulator/redaction.hpp"
#include "api/context.hpp"
#include "storage/state_repository.hpp"

namespace api::emulator {
namespace {

IdSource ids_for(const ControlPlaneSettings& settings) {
    return settings.seed ? IdSource(*settings.seed) : IdSource();
}

// Without --seed the fault dice still need a seed; a random one, so runs differ as they would live.
std::uint64_t dice_seed(const ControlPlaneSettings& settings) {
    if (settings.seed) return *settings.seed;
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

ControlPlane::ControlPlane(const ControlPlaneSettings& settings)
    : ids(ids_for(settings)),
      journal({.max_entries = settings.journal_capacity,
               .max_bytes = settings.journal_bytes,
               .max_body_bytes = settings.journal_body_limit}),
      faults(dice_seed(settings)),
      rate_limiter(settings.rate_limit),
      gateway_style(settings.gateway_style),
      access(settings.access) {
    if (settings.start_time) clock.set(*settings.start_time);
    metrics.add_gauge("csr_emulator_journal_entries", "Requests held in the journal.",
                      [this] { return static_cast<double>(journal.size()); });
    metrics.add_gauge("csr_emulator_journal_bytes", "Bytes the journal's entries hold (--journal-bytes caps it).",
                      [this] { return static_cast<double>(journal.bytes()); });
}

void ControlPlane::observe(const Request& request, const Response& response, std::string_view route,
                           TimePoint started, std::chrono::microseconds duration) {
    JournalEntry entry;
    entry.time = started;
    entry.method = request.method;
    entry.path = request.path;
    entry.query = request.query;
    entry.status = response.status;
    entry.error_codes = response.error_codes ? *response.error_codes : error_codes_of(response.body);
    entry.duration = duration;
    entry.credential_kind = credential_kind(request);
    entry.request_body = request.body;
    entry.response_body = response.body;
    journal.record(std::move(entry));
    metrics.observe(request.method, route, response.status, duration);
}

void attach(ControlPlane& control, Context& context) {
    context.now = [&control] { return control.clock.now(); };
    context.new_id = [&control] { return control.ids.uuid(); };
    control.metrics.add_gauge("csr_emulator_key_pool_ready", "RSA-2048 keys generated and waiting for a request.",
                              [&context] { return static_cast<double>(context.keys.ready_count()); });
    control.metrics.add_gauge("csr_emulator_key_pool_waiting", "Requests waiting for an RSA-2048 key.",
                              [&context] { return static_cast<double>(context.keys.waiting_count()); });
    // A COUNT(*) per table on every scrape: fine at a scrape every few seconds, and the only
    // way to be exact after seeds and resets.
    control.metrics.add_gauge_family("csr_emulator_rows", "Rows per customer table.", [&context] {
        GaugeSamples samples;
        for (const auto& [table, count] : storage::StateRepository(context.db).row_counts())
            samples.push_back({{{"table", table}}, static_cast<double>(count)});
        return samples;
    });
    // Webhook deliveries by outcome, from the outbox (so they survive a restart), and their retries.
    context.notifications->journal = &control.journal;
    control.metrics.add_gauge_family("csr_emulator_notification_deliveries", "Webhook deliveries by state; retried: attempts after the first.", [&context] {
        auto c = context.outbox.counts();
        return GaugeSamples{{{{"state", "delivered"}}, double(c.delivered)}, {{{"state", "retried"}}, double(c.retried)},
                            {{{"state", "failed"}}, double(c.failed)},       {{{"state", "pending"}}, double(c.pending)},
                            {{{"state", "dropped"}}, double(c.dropped)}};
    });
}

void add_control_plane_routes(Router& router, ControlPlane& control) {
    add_clock_routes(router, control.clock);
    add_journal_routes(router, control.journal);
    add_fault_routes(router, control.faults);
    add_rate_limit_routes(router, control.rate_limiter);
    add_metrics_routes(router, control.metrics);
}

}  // namespace api::emulator
