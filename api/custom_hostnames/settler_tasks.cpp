#include "api/custom_hostnames/settler_tasks.hpp"

#include <algorithm>
#include <exception>

#include "api/custom_hostnames/dcv_records.hpp"
#include "api/custom_hostnames/fallback_origin.hpp"
#include "api/custom_hostnames/hostname_state.hpp"
#include "api/custom_hostnames/validation_checks.hpp"
#include "storage/fallback_origin_repository.hpp"

namespace api {
namespace {

// Runs on a probe's thread: an exception escaping it would end the process, so it is logged.
template <typename Work>
void guarded(Context& context, const std::string& id, Work work) {
    try {
        work();
    } catch (const std::exception& e) {
        if (context.log) context.log(LogLevel::error, "validation_check", {{"id", id}, {"error", e.what()}});
    }
}

template <typename Work>
void guarded(Context& context, const HostnameKey& key, Work work) {
    guarded(context, key.second, std::move(work));
}

}  // namespace

std::vector<HostnameKey> hostnames_to_settle(Context& context, std::int64_t limit) {
    const auto& validation = context.validation;
    // Settled hostnames whose renewal or expiry has come: every mode, validation off included.
    auto out = context.hostnames.clock_due(rfc3339_micros(context.now()), limit);
    // The states time alone moves: none in manual mode (the routes move them) or when off.
    if (!validation.enabled || validation.mode == lifecycle::Mode::manual) return out;
    for (auto& key : context.hostnames.unsettled(limit, validation.mode != lifecycle::Mode::dns))
        if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(std::move(key));
    return out;
}

void settle_hostname(Context& context, const HostnameKey& key) {
    guarded(context, key, [&] {
        if (auto h = context.hostnames.find(key.first, key.second)) settle_and_store(context, *h);
    });
}

std::vector<HostnameKey> hostnames_due_for_check(Context& context, std::int64_t limit) {
    return context.hostnames.due_for_check(rfc3339_micros(context.now()), limit);
}

std::vector<std::string> fallback_origins_to_settle(Context& context, std::int64_t limit) {
    const auto& validation = context.validation;
    if (!validation.enabled || validation.mode == lifecycle::Mode::manual) return {};
    auto& origins = context.fallback_origins;
    // dns mode: a deployment waits for its resolution check, not for the step.
    return origins.pending_since(rfc3339_micros(context.now() - validation.step),
                                 validation.mode == lifecycle::Mode::automatic, limit);
}

void settle_fallback_origin_of(Context& context, const std::string& zone_id) {
    guarded(context, "fallback_origin:" + zone_id, [&] { settle_fallback_origin(context, zone_id); });
}

std::vector<std::string> fallback_origins_due_for_check(Context& context, std::int64_t limit) {
    auto& origins = context.fallback_origins;
    return origins.due_for_check(rfc3339_micros(context.now()), limit);
}

void check_fallback_origin(Context& context, DnsProbe& dns, const std::string& zone_id, std::function<bool()> wanted,
                           std::function<void()> done) {
    bool started = false;
    const std::string label = "fallback_origin:" + zone_id;
    guarded(context, label, [&] {
        auto& origins = context.fallback_origins;
        auto seen = origins.find(zone_id);
        if (!seen || seen->status != "pending_deployment") return;
        if (seen->next_check_at && *seen->next_check_at > rfc3339_micros(context.now())) return;
        started = true;
        dns.has_address(seen->origin, [&context, label, seen = *seen, wanted, done](ProbeStatus status) {
            guarded(context, label, [&] {
                if (!wanted()) return;
                auto& origins = context.fallback_origins;
                origins.record_check(seen, apply_origin_check(seen, status == ProbeStatus::ok, context.now(),
                                                              context.validation.backoff_scale));
            });
            done();
        });
    });
    if (!started) done();
}

std::string cname_target_for(Context& context, const std::string& zone_id) {
    if (!context.validation.cname_target.empty()) return context.validation.cname_target;
    auto& origins = context.fallback_origins;
    auto origin = origins.find(zone_id);
    return origin ? origin->origin : std::string();
}

void check_hostname(Context& context, DnsProbe& dns, HttpProbe& http, const HostnameKey& key,
                    std::function<bool()> wanted, std::function<void()> done) {
    bool started = false;
    guarded(context, key, [&] {
        auto h = context.hostnames.find(key.first, key.second);
        if (!h) return;
        // The states no probe decides first: a certificate still initializing has no DCV due.
        settle_and_store(context, *h);
        auto state = state_of(*h);
        const auto checks = lifecycle::due(state, context.now());
        if (!checks.any()) return;

        CheckTargets targets;
        targets.hostname = record_base_name(h->hostname);  // where a wildcard's records live
        targets.hostname_id = h->id;
        targets.dcv_token = h->ssl && h->ssl->dcv_token ? *h->ssl->dcv_token : std::string();
        targets.ownership = checks.ownership;
        targets.validation = checks.validation;
        bool wildcard_certificate = h->ssl && h->ssl->wildcard;
        targets.ownership_by_txt_only = is_wildcard_hostname(h->hostname);
        targets.dcv_by_txt_only = txt_only(h->hostname, wildcard_certificate);
        lifecycle::Expectations expected{cname_target_for(context, key.first), h->ownership_token, targets.dcv_token};
        // Exactly the values the validation records show.
        if (!targets.dcv_token.empty())
            expected.dcv_txt_values = dcv_txt_values(targets.dcv_token, h->hostname, wildcard_certificate);
        expected.dcv_by_txt_only = targets.dcv_by_txt_only;
        targets.cname_target = expected.cname_target;

        // When the checks were due as the round started: a PATCH meanwhile ("check now") makes
        // this round's answers stale, so they are dropped and the next tick checks anew.
        auto stamps = [](const storage::CustomHostname& row) {
            return std::pair(row.ownership_next_check_at, row.ssl ? row.ssl->next_check_at : std::nullopt);
        };
        auto due_at_start = stamps(*h);
        // A stamp set since (null before: a certificate entering pending_validation) is no PATCH.
        auto rescheduled = [](const auto& before, const auto& now) {
            return (before.first && now.first != before.first) || (before.second && now.second != before.second);
        };
        started = true;
        run_checks(dns, http, targets, [&context, key, expected, wanted, done, due_at_start, stamps,
                                       rescheduled, hostname = targets.hostname](lifecycle::ProbeResults seen) {
            // Lookups the DNS server refused or failed: the user debugging a pending hostname
            // needs the server's answer, not only the error shown in the API.
            if (context.log) {
                for (const auto* failures : {&seen.ownership_lookup_failures, &seen.dcv_lookup_failures})
                    for (const auto& failure : *failures)
                        context.log(LogLevel::debug, "dns_lookup_failed",
                                    {{"id", key.second}, {"hostname", hostname}, {"answer", failure}});
            }
            guarded(context, key, [&] {
                if (!wanted()) return;
                // Applied to the row as it is now; a concurrent edit of the statuses wins.
                auto row = context.hostnames.find(key.first, key.second);
                if (!row || rescheduled(due_at_start, stamps(*row))) return;
                storage::CustomHostname before = *row;
                settle(context, *row);
                auto state = state_of(*row);
                if (lifecycle::apply_checks(state, expected, seen, context.now(), context.validation.backoff_scale))
                    store_state(state, *row);
                // A DCV that passed moves on by the step; settle() issues the DV pair at active.
                settle(context, *row);
                context.hostnames.update_if_unchanged(*row, before);
            });
            done();
        });
    });
    if (!started) done();
}

}  // namespace api
