#include <nlohmann/json.hpp>
#include "api/emulator/fault_routes.hpp"

#include "api/emulator/control_errors.hpp"
#include "api/envelope.hpp"
#include "api/json_body.hpp"

namespace api::emulator {

void add_fault_routes(Router& router, FaultRules& faults) {
    router.add(
        "GET", "/_emulator/faults",
        [&faults](const Request&, Context&) {
            nlohmann::json items = nlohmann::json::array();
            for (const auto& rule : faults.list()) items.push_back(to_json(rule));
            return success(std::move(items));
        },
        Surface::emulator);
    router.add(
        "POST", "/_emulator/faults",
        [&faults](const Request& request, Context&) {
            auto rule = faults.add(fault_rule_from_json(parse_object_body(request, invalid_control_request)));
            return success(to_json(rule));
        },
        Surface::emulator);
    router.add(
        "DELETE", "/_emulator/faults",
        [&faults](const Request&, Context&) {
            faults.clear();
            return success(nlohmann::json::object());
        },
        Surface::emulator);
    router.add(
        "DELETE", "/_emulator/faults/{id}",
        [&faults](const Request& request, Context&) {
            const auto& text = request.param("id");
            std::uint64_t id = 0;
            try {
                std::size_t used = 0;
                id = std::stoull(text, &used);
                if (used != text.size()) id = 0;
            } catch (const std::exception&) {
                id = 0;
            }
            if (id == 0 || !faults.remove(id)) throw ApiError(control_item_not_found, "No fault rule with id " + text);
            return success({{"id", id}});
        },
        Surface::emulator);
}

}  // namespace api::emulator
