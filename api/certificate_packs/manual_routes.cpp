// The emulator's routes that move a certificate pack's status by hand (any mode; in manual mode
// nothing else moves it): POST /_emulator/zones/{zone_id}/certificate_packs/{id}/
// {advance_certificate, fail_certificate, fail_renewal}, the custom hostname certificate's moves.
#include <nlohmann/json.hpp>

#include "api/certificate_packs/pack_json.hpp"
#include "api/certificate_packs/pack_state.hpp"
#include "api/custom_hostnames/lifecycle_moves.hpp"
#include "api/custom_hostnames/waiting_for_key.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"

namespace api {
namespace {

using nlohmann::json;

// Loads the pack as a read shows it, applies the move, issues the pair it made due, stores it and
// answers the pack as GET does. An illegal move is a 409, as for custom hostnames.
Response apply(const Request& request, Context& context, const LifecycleMove& move) {
    const std::string& id = request.param("certificate_pack_id");
    if (!is_uuid(id)) throw ApiError(certificate_pack_errors::not_found);
    json body = request.body.empty() ? json::object() : parse_object_body(request, certificate_pack_errors::body_undecodable);
    auto pack = context.certificate_packs.find(request.param("zone_id"), id);
    if (!pack) throw ApiError(certificate_pack_errors::not_found);
    settle(context, *pack, KeyMiss::wait);
    auto state = state_of(*pack);
    if (auto refusal = move(state, context.now(), body))
        throw ApiError(409, {ErrorItem{1400, "Illegal lifecycle move: " + *refusal + ".", {}}});
    store_state(state, *pack);
    issue_if_due(context, *pack, state, KeyMiss::wait);
    if (!context.certificate_packs.update(*pack)) throw ApiError(certificate_pack_errors::not_found);
    return success(certificate_pack_json(*pack));
}

}  // namespace

void add_certificate_pack_manual_routes(Router& router) {
    for (auto& [action, move] : certificate_moves())
        router.add("POST", "/_emulator/zones/{zone_id}/certificate_packs/{certificate_pack_id}/" + action,
                   waiting_for_rsa_key([move = std::move(move)](const Request& request, Context& context) {
                       return apply(request, context, move);
                   }),
                   Surface::emulator);
}

}  // namespace api
