// POST /_emulator/reset ({} = everything but the test CA; {"zone_id"}, {"account_id"},
// {"include_ca": true}), GET /_emulator/state[?include_private_keys=true] (the snapshot) and
// PUT /_emulator/state (seed: replaces all customer state with the document, all or nothing).
#include <nlohmann/json.hpp>
#include "api/context.hpp"
#include "api/emulator/control_errors.hpp"
#include "api/emulator/state_document.hpp"
#include "api/envelope.hpp"
#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/emulator/state_routes.hpp"
#include "storage/database.hpp"
#include "storage/state_repository.hpp"

namespace api {
namespace {

using emulator::invalid_control_request;

Response snapshot(const Request& request, Context& context) {
    auto include = Query(request.query).get("include_private_keys");
    if (include && *include != "true" && *include != "false")
        throw ApiError(invalid_control_request, "include_private_keys must be true or false");
    auto snapshot = storage::StateRepository(context.db).snapshot();
    auto document = emulator::state_document(snapshot.schema, snapshot.rows, snapshot.schema_version,
                                             include == std::optional<std::string>("true"));
    return success(std::move(document));
}

Response seed(const Request& request, Context& context) {
    if (nesting_depth(request.body) > max_body_depth)
        throw ApiError(invalid_control_request,
                       "(document): nested deeper than " + std::to_string(max_body_depth) + " levels");
    auto document = nlohmann::json::parse(request.body, nullptr, false);
    if (document.is_discarded()) throw ApiError(invalid_control_request, "(document): the body is not JSON");
    storage::StateRepository state(context.db);
    auto rows = emulator::read_state_document(document, state.schema(), state.schema_version());
    try {
        state.import_state(rows);
    } catch (const storage::Error& e) {
        // The rules (state_rules) mirror every CHECK and UNIQUE constraint, so this is a rule they
        // miss (fuzz_state_document looks for one); nothing was written.
        throw ApiError(invalid_control_request, std::string("(document): refused by the database: ") + e.what());
    }
    std::size_t count = 0;
    for (const auto& table : rows) count += table.rows.size();
    ensure_configured_zones(context);  // --zone names outlive a seed, as they do a restart
    return success({{"rows", count}});
}

Response reset(const Request& request, Context& context) {
    nlohmann::json body = nlohmann::json::object();
    if (request.body.find_first_not_of(" \t\r\n") != std::string::npos)
        body = parse_object_body(request, invalid_control_request);
    for (const auto& [key, _] : body.items())
        if (key != "zone_id" && key != "account_id" && key != "include_ca")
            throw ApiError(invalid_control_request, "unknown field " + key);
    auto zone = string_field(body, "zone_id", invalid_control_request);
    auto account = string_field(body, "account_id", invalid_control_request);
    bool include_ca = bool_field(body, "include_ca", invalid_control_request).value_or(false);
    if ((zone ? 1 : 0) + (account ? 1 : 0) + (include_ca ? 1 : 0) > 1)
        throw ApiError(invalid_control_request, "send at most one of zone_id, account_id, include_ca");
    storage::StateRepository state(context.db);
    std::int64_t deleted = zone      ? state.reset_zone(*zone)
                           : account ? state.reset_account(*account)
                                     : state.reset_all(!include_ca);
    if (!zone && !account) ensure_configured_zones(context);  // --zone names outlive a reset
    return success({{"deleted_rows", deleted}});
}

}  // namespace

void add_emulator_state_routes(Router& router) {
    router.add("GET", "/_emulator/state", snapshot, Surface::emulator);
    router.add("PUT", "/_emulator/state", seed, Surface::emulator);
    router.add("POST", "/_emulator/reset", reset, Surface::emulator);
}

}  // namespace api
