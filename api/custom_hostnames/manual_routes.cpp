// The emulator's own routes that move a custom hostname's statuses by hand (any mode; in
// manual mode nothing else moves them): verify_ownership, advance_certificate,
// fail_certificate, fail_renewal, block, move under /_emulator/zones/{zone_id}/custom_hostnames/{id}/.
#include <nlohmann/json.hpp>

#include "api/custom_hostnames/hostname_state.hpp"
#include "api/custom_hostnames/lifecycle_moves.hpp"
#include "api/custom_hostnames/hostname_json.hpp"
#include "api/custom_hostnames/ssl.hpp"
#include "api/custom_hostnames/waiting_for_key.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/router.hpp"

namespace api {
namespace {

using nlohmann::json;
using Move = LifecycleMove;

// Loads the hostname (as a read would show it), applies the move, stores it and answers the
// hostname as GET would. The refusal of an illegal move is a 409: the request was well formed,
// the hostname is in the wrong state for it.
Response apply(const Request& request, Context& context, const Move& move) {
    const std::string& zone_id = request.param("zone_id");
    const std::string& id = request.param("custom_hostname_id");
    if (!is_uuid(id)) throw ApiError(hostname_errors::not_found);
    json body = request.body.empty() ? json::object() : parse_object_body(request, hostname_errors::body_undecodable);
    auto h = context.hostnames.find(zone_id, id);
    if (!h) throw ApiError(hostname_errors::not_found);
    settle(context, *h, KeyMiss::wait);
    auto state = state_of(*h);
    if (auto refusal = move(state, context.now(), body))
        throw ApiError(409, {ErrorItem{1400, "Illegal lifecycle move: " + *refusal + ".", {}}});
    store_state(state, *h);
    issue_dv_if_due(context, *h, state.certificate ? state.certificate->expires_on : std::nullopt,
                    state.certificate && state.certificate->pair_due, KeyMiss::wait);
    if (context.hostnames.update(*h) != storage::WriteResult::ok) throw ApiError(hostname_errors::not_found);
    return success(custom_hostname_json(*h, context.log));
}

void add(Router& router, const std::string& action, Move move) {
    router.add(
        "POST", "/_emulator/zones/{zone_id}/custom_hostnames/{custom_hostname_id}/" + action,
        waiting_for_rsa_key(
            [move = std::move(move)](const Request& request, Context& context) { return apply(request, context, move); }),
        Surface::emulator);
}

}  // namespace

std::vector<std::pair<std::string, LifecycleMove>> certificate_moves() {
    std::vector<std::pair<std::string, LifecycleMove>> moves;
    moves.emplace_back("advance_certificate",
                       [](auto& state, TimePoint now, const json&) { return lifecycle::advance_certificate(state, now); });
    moves.emplace_back("fail_certificate", [](auto& state, TimePoint now, const json& body) -> lifecycle::Refusal {
        // {"status": "<the *_timed_out state expected>", "message": "..."}: the status, when
        // given, must be the one the current state times out into.
        std::string message;
        if (auto m = body.find("message"); m != body.end()) {
            if (!m->is_string()) return "message must be a string";
            message = m->get<std::string>();
        }
        std::optional<lifecycle::Certificate> wanted;
        if (auto s = body.find("status"); s != body.end()) {
            if (!s->is_string()) return "status must be a string";
            wanted = lifecycle::parse_certificate(s->get<std::string>());
            if (!wanted) return "unknown status '" + s->get<std::string>() + "'";
        }
        auto trial = state;
        if (auto refusal = lifecycle::fail_certificate(trial, now, message)) return refusal;
        if (wanted && trial.certificate->status != *wanted)
            return "ssl.status is " + std::string(lifecycle::to_string(state.certificate->status)) + "; it times out into " +
                   std::string(lifecycle::to_string(trial.certificate->status)) + ", not " +
                   std::string(lifecycle::to_string(*wanted));
        state = trial;
        return std::nullopt;
    });
    moves.emplace_back("fail_renewal", [](auto& state, TimePoint now, const json& body) -> lifecycle::Refusal {
        // {"message": "..."} (optional): the next renewal of the DV certificate fails with it
        // (Cloudflare's "Internal error with Certificate Authority" by default); a renewal
        // deploying now fails at once.
        std::string message;
        if (auto m = body.find("message"); m != body.end()) {
            if (!m->is_string()) return "message must be a string";
            message = m->get<std::string>();
        }
        return lifecycle::fail_renewal(state, now, message);
    });
    return moves;
}

void add_manual_lifecycle_routes(Router& router) {
    add(router, "verify_ownership",
        [](auto& state, TimePoint now, const json&) { return lifecycle::verify_ownership(state, now); });
    for (auto& [action, move] : certificate_moves()) add(router, action, std::move(move));
    add(router, "block", [](auto& state, TimePoint now, const json&) { return lifecycle::block(state, now); });
    add(router, "move", [](auto& state, TimePoint now, const json&) { return lifecycle::move(state, now); });
}

}  // namespace api
