#include "api/certificate_packs/pack_checks.hpp"

#include <exception>
#include <memory>
#include <mutex>
#include <optional>

#include "api/certificate_packs/pack_state.hpp"
#include "api/custom_hostnames/dcv_records.hpp"
#include "api/custom_hostnames/validation_checks.hpp"
#include "api/time_text.hpp"

namespace api {
namespace {

// One round's answers, gathered from the probes' threads until the last host has answered.
struct Round {
    std::mutex mutex;
    std::vector<lifecycle::ProbeResults> seen;
    std::size_t left = 0;
};

// Whether applying one host's answers passed its DCV: the first validation moves on to
// pending_issuance, a renewal's to pending_deployment.
bool passed(const lifecycle::HostnameState& before, const lifecycle::HostnameState& after) {
    using C = lifecycle::Certificate;
    auto from = before.certificate->status, to = after.certificate->status;
    return to == C::pending_deployment || (from == C::pending_validation && to == C::pending_issuance);
}

// Applies the round to the pack as stored now: the first host that failed decides it (its miss
// counted once), else it passed.
void apply_round(Context& context, const PackKey& key, const std::optional<std::string>& due_at_start,
                 const std::vector<lifecycle::Expectations>& expected, const std::vector<lifecycle::ProbeResults>& seen) {
    auto row = context.certificate_packs.find(key.first, key.second);
    // Gone, or its checks rescheduled meanwhile (a restart): this round's answers are stale.
    if (!row || row->next_check_at != due_at_start) return;
    storage::CertificatePack before = *row;
    settle(context, *row, KeyMiss::keep_status);
    auto state = state_of(*row);
    std::optional<lifecycle::HostnameState> pass, fail;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        auto trial = state;
        if (!lifecycle::apply_checks(trial, expected[i], seen[i], context.now(), context.validation.backoff_scale))
            continue;
        if (!passed(state, trial)) {
            fail = std::move(trial);
            break;
        }
        if (!pass) pass = std::move(trial);
    }
    if (fail || pass) store_state(fail ? *fail : *pass, *row);
    // A DCV that passed moves on by the step; settle() issues the pair at active.
    settle(context, *row, KeyMiss::keep_status);
    context.certificate_packs.update_if_unchanged(*row, before);
}

void log_failure(Context& context, const PackKey& key, const std::exception& e) {
    if (context.log) context.log(LogLevel::error, "validation_check", {{"id", key.second}, {"error", e.what()}});
}

}  // namespace

std::vector<PackKey> certificate_packs_due_for_check(Context& context, std::int64_t limit) {
    const auto& validation = context.validation;
    if (!validation.enabled || validation.mode != lifecycle::Mode::dns) return {};
    return context.certificate_packs.due_for_check(rfc3339_micros(context.now()), limit);
}

void check_certificate_pack(Context& context, DnsProbe& dns, HttpProbe& http, const PackKey& key,
                            std::function<bool()> wanted, std::function<void()> done) {
    bool started = false;
    // Runs on the settler's thread: an exception escaping it would end the process, so it is logged.
    try {
        auto pack = context.certificate_packs.find(key.first, key.second);
        if (pack) settle_and_store(context, *pack, KeyMiss::keep_status);
        if (pack && pack->validation_method != "email" && !pack->hosts.empty() &&
            lifecycle::due(state_of(*pack), context.now()).validation) {
            std::vector<CheckTargets> targets;
            std::vector<lifecycle::Expectations> expected;
            for (const auto& host : pack->hosts) {
                CheckTargets t;
                t.hostname = record_base_name(host);
                t.hostname_id = pack->id;
                t.dcv_token = pack->dcv_token;
                t.ownership = false;  // the hosts are the zone's own
                // txt: the TXT records shown, nothing else; http: the token at the shown URL.
                t.dcv_by_txt_only = pack->validation_method == "txt" || is_wildcard_hostname(host);
                lifecycle::Expectations e{"", "", pack->dcv_token};
                e.dcv_txt_values = dcv_txt_values(pack->dcv_token, host, false);
                e.dcv_by_txt_only = t.dcv_by_txt_only;
                targets.push_back(std::move(t));
                expected.push_back(std::move(e));
            }
            auto round = std::make_shared<Round>();
            round->seen.resize(targets.size());
            round->left = targets.size();
            started = true;
            for (std::size_t i = 0; i < targets.size(); ++i) {
                run_checks(dns, http, targets[i],
                           [&context, key, round, i, expected, wanted, done,
                            due_at_start = pack->next_check_at](lifecycle::ProbeResults seen) {
                               {
                                   std::lock_guard lock(round->mutex);
                                   round->seen[i] = std::move(seen);
                                   if (--round->left > 0) return;
                               }
                               try {
                                   if (wanted()) apply_round(context, key, due_at_start, expected, round->seen);
                               } catch (const std::exception& e) {
                                   log_failure(context, key, e);
                               }
                               done();
                           });
            }
        }
    } catch (const std::exception& e) {
        log_failure(context, key, e);
    }
    if (!started) done();
}

}  // namespace api
