#include "api/notifications/certificate_events.hpp"

#include <algorithm>

#include "api/context.hpp"
#include "api/custom_hostnames/hostname_json.hpp"
#include "api/stored_json.hpp"
#include "api/time_text.hpp"

namespace api::notifications {
namespace {

using nlohmann::json;

// The way to active; a move forward along it fires the event of each step it crosses.
constexpr std::string_view forward[] = {"initializing", "pending_validation", "pending_issuance",
                                        "pending_deployment", "active"};
// The event of the step from forward[i] to forward[i + 1].
constexpr std::string_view step_event[] = {"", "validation.succeeded", "issuance.succeeded", "deployment.succeeded"};

int rank(std::string_view status) {
    auto it = std::find(std::begin(forward), std::end(forward), status);
    return it == std::end(forward) ? -1 : static_cast<int>(it - std::begin(forward));
}

// The event a pending state fires when a check of it fails (again, or for the last time).
std::string failure_of(std::string_view status) {
    if (status == "pending_validation" || status == "validation_timed_out") return "validation.failed";
    if (status == "pending_issuance" || status == "issuance_timed_out") return "issuance.failed";
    if (status == "pending_deployment" || status == "deployment_timed_out") return "deployment.failed";
    return {};
}

// The ssl.status an event reports (Cloudflare's table): the state its move reached; the failures
// report the state as stored.
std::string status_for(const std::string& name, const std::string& stored) {
    if (name == "validation.succeeded" || name == "renewal.failed") return "pending_issuance";
    if (name == "issuance.succeeded" || name == "renewal.succeeded") return "pending_deployment";
    if (name == "deployment.succeeded" || name.starts_with("renewal.upcoming")) return "active";
    if (name == "deletion.succeeded") return "deleted";
    if (name == "deletion.failed") return "pending_deletion";
    return stored;
}

json validation_errors(const std::string& stored) {
    json out = json::array();
    if (auto parsed = read_stored_json(stored, StoredJson::array_of_strings))
        for (const auto& message : *parsed) out.push_back({{"message", message}});
    return out;
}

// The certificate's own fields for the upcoming-expiration event (Cloudflare's example names the
// certificate, not the validation).
void describe_certificate(json& ssl, const storage::CustomHostname& h) {
    const auto& s = *h.ssl;
    try {
        certificate_facts(ssl, s);
    } catch (const std::exception&) {
        // A pair that does not parse is reported by the hostname's own answer, not here.
    }
    if (s.custom_csr_id) ssl["custom_csr_id"] = *s.custom_csr_id;
}

}  // namespace

std::optional<CertificateView> certificate_view(const storage::CustomHostname* h) {
    if (!h || !h->ssl) return std::nullopt;
    return CertificateView{h->ssl->status, h->ssl->attempts, h->ssl->certificate.has_value(),
                           h->ssl->dv_ecdsa_chain_pem.value_or(""), h->ssl->id};
}

std::optional<CertificateView> certificate_view(const storage::CertificatePack* p) {
    if (!p) return std::nullopt;
    return CertificateView{p->status, p->attempts, false, p->ecdsa_chain_pem.value_or(""), p->id};
}

std::vector<std::string> certificate_events(const std::optional<CertificateView>& before_in,
                                            const std::optional<CertificateView>& after) {
    std::vector<std::string> out;
    if (!after) {
        if (before_in) out.push_back("deletion.succeeded");
        return out;
    }
    // A new certificate starts where the lifecycle starts it: initializing, or an uploaded one
    // pending_deployment.
    // A certificate that replaced another (a PATCH) counts as new too.
    bool same = before_in && before_in->id == after->id && before_in->uploaded == after->uploaded;
    CertificateView before = same ? *before_in
                                  : CertificateView{after->uploaded ? "pending_deployment" : "initializing", 0,
                                                    after->uploaded, "", after->id};
    const std::string& from = before.status;
    const std::string& to = after->status;
    auto forward_from = [&](int start) {
        for (int r = start; r < rank(to); ++r)
            if (!step_event[r].empty()) out.emplace_back(step_event[r]);
    };
    if (from == "active" && to == "active") {
        // A whole renewal between two writes (a clock jump): its start and its deployment.
        if (!after->uploaded && !before.pair.empty() && !after->pair.empty() && before.pair != after->pair)
            out = {"renewal.upcoming_certificate_expiration_notification", "renewal.succeeded", "deployment.succeeded"};
        return out;
    }
    if (from == "active" && !after->uploaded && (to == "pending_deployment" || to == "pending_issuance")) {
        // A renewal started: it either issued (deploying next) or failed.
        out.emplace_back("renewal.upcoming_certificate_expiration_notification");
        out.emplace_back(to == "pending_deployment" ? "renewal.succeeded" : "renewal.failed");
        return out;
    }
    if (from == "pending_deployment" && to == "pending_issuance" && !after->pair.empty()) {
        out.emplace_back("renewal.failed");  // a deploying renewal failed (the old pair still served)
        return out;
    }
    if (from == to) {
        if (after->attempts > before.attempts) {
            if (auto failed = failure_of(to); !failed.empty()) out.push_back(failed);
        }
        return out;
    }
    if (to.ends_with("_timed_out")) {
        // The last failed check; a state skipped on the way fires its successes first.
        if (auto failed = failure_of(to); !failed.empty()) {
            std::string_view pending = to.starts_with("validation")   ? "pending_validation"
                                       : to.starts_with("issuance")   ? "pending_issuance"
                                       : to.starts_with("deployment") ? "pending_deployment"
                                                                      : "initializing";
            for (int k = rank(from); k >= 0 && k < rank(pending); ++k)
                if (!step_event[k].empty()) out.emplace_back(step_event[k]);
            out.push_back(failed);
        }
        return out;
    }
    if (rank(from) >= 0 && rank(to) > rank(from)) forward_from(rank(from));
    return out;
}

const std::vector<std::string>& event_names() {
    static const std::vector<std::string> names = {
        "validation.succeeded", "validation.failed",  "issuance.succeeded", "issuance.failed",
        "deployment.succeeded", "deployment.failed",  "deletion.succeeded", "deletion.failed",
        "renewal.upcoming_certificate_expiration_notification", "renewal.succeeded", "renewal.failed"};
    return names;
}

json event_payload(const std::string& name, const std::string& event_id, const std::string& created_at,
                   const std::string& account_id, const storage::CustomHostname& h, bool detached) {
    json data = json::object();
    if (!detached) {
        data["id"] = h.id;
        data["hostname"] = h.hostname;
    }
    json ssl = json::object();
    if (h.ssl) {
        const auto& s = *h.ssl;
        ssl["id"] = s.id;
        bool deletion = name.starts_with("deletion.");
        if (name == "renewal.upcoming_certificate_expiration_notification") {
            describe_certificate(ssl, h);
        } else {
            ssl["type"] = s.type;
            ssl["method"] = s.method;
        }
        ssl["status"] = status_for(name, s.status);
        if (!deletion) {
            json settings = json::object();
            if (s.settings)
                if (auto stored = read_stored_json(*s.settings, StoredJson::object))
                    for (const char* key : {"min_tls_version", "http2"})
                        if (stored->contains(key)) settings[key] = (*stored)[key];
            ssl["settings"] = settings;
        }
        auto errors = validation_errors(s.validation_errors);
        if (!errors.empty()) ssl["validation_errors"] = errors;
    }
    data["ssl"] = ssl;
    json metadata = json::object();
    if (h.custom_metadata)
        if (auto stored = read_stored_json(*h.custom_metadata, StoredJson::object)) metadata = *stored;
    data["custom_metadata"] = metadata;
    data["custom_origin_server"] = h.custom_origin_server ? json(*h.custom_origin_server) : json(nullptr);
    return {{"metadata",
             {{"event", {{"id", event_id}, {"type", std::string(event_prefix) + name}, {"created_at", created_at}}},
              {"account", {{"id", account_id}}},
              {"zone", {{"id", h.zone_id}}}}},
            {"data", data}};
}

json pack_event_payload(const std::string& name, const std::string& event_id, const std::string& created_at,
                        const std::string& account_id, const storage::CertificatePack& p) {
    json ssl = {{"status", status_for(name, p.status)}, {"validation_method", p.validation_method}};
    auto errors = validation_errors(p.validation_errors);
    if (!errors.empty()) ssl["validation_errors"] = errors;
    return {{"metadata",
             {{"event", {{"id", event_id}, {"type", std::string(pack_event_prefix) + name}, {"created_at", created_at}}},
              {"account", {{"id", account_id}}},
              {"zone", {{"id", p.zone_id}}}}},
            {"data", {{"id", p.id}, {"hosts", p.hosts}, {"ssl", ssl}}}};
}

namespace {

// One outbox row per event name, with fresh ids and the context's time; `payload` makes each
// event's JSON from (name, id, created_at).
template <typename Payload>
std::vector<storage::OutboxEvent> events_of(Context& context, const std::vector<std::string>& names,
                                            const std::string& account, const std::string& zone_id,
                                            std::string_view prefix, std::string_view alert_type, Payload payload) {
    std::vector<storage::OutboxEvent> out;
    std::string created_at = rfc3339_micros(context.now());
    std::int64_t at = context.notifications->wall_ms();
    for (const auto& name : names) {
        std::string id = context.new_id();
        out.push_back(storage::OutboxEvent{id, account, zone_id, std::string(prefix) + name, created_at,
                                           payload(name, id, created_at).dump(), std::string(alert_type), at});
    }
    return out;
}

}  // namespace

std::vector<storage::OutboxEvent> outbox_events(Context& context, const std::vector<std::string>& names,
                                                const storage::CustomHostname& h, bool detached,
                                                const std::string& account) {
    return events_of(context, names, account, h.zone_id, event_prefix, saas_alert_type,
                     [&](const std::string& name, const std::string& id, const std::string& created_at) {
                         return event_payload(name, id, created_at, account, h, detached);
                     });
}

void watch_hostnames(Context& context) {
    context.hostnames.observe([&context](const storage::CustomHostname* before, const storage::CustomHostname* after) {
        auto names = certificate_events(certificate_view(before), certificate_view(after));
        if (names.empty()) return std::vector<storage::OutboxEvent>{};
        // The certificate went with its hostname (or a PATCH removed it): detached.
        bool detached = !after || !after->ssl;
        const auto& hostname = after && after->ssl ? *after : *before;
        auto events = outbox_events(context, names, hostname, detached,
                                    account_of_zone(context, hostname.zone_id, /*in_write=*/true));
        context.notifications->wake();
        return events;
    });
}

void watch_certificate_packs(Context& context) {
    context.certificate_packs.observe([&context](const storage::CertificatePack* before,
                                                 const storage::CertificatePack* after) {
        auto names = certificate_events(certificate_view(before), certificate_view(after));
        if (names.empty()) return std::vector<storage::OutboxEvent>{};
        const auto& pack = after ? *after : *before;
        std::string account = account_of_zone(context, pack.zone_id, /*in_write=*/true);
        auto events = events_of(context, names, account, pack.zone_id, pack_event_prefix, pack_alert_type,
                                [&](const std::string& name, const std::string& id, const std::string& created_at) {
                                    return pack_event_payload(name, id, created_at, account, pack);
                                });
        context.notifications->wake();
        return events;
    });
}

}  // namespace api::notifications
