#include "api/emulator/gateway_fidelity.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/router.hpp"

namespace api::emulator {

bool is_object_identifier(std::string_view text) noexcept {
    if (text.size() != 32) return false;
    for (char c : text)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

void throw_could_not_route(std::string_view path, GatewayStyle style) {
    // The gateway names the path as it saw it: always under /client/v4.
    std::string full = path.starts_with(Router::cloudflare_prefix) ? std::string(path)
                                                                   : std::string(Router::cloudflare_prefix) + std::string(path);
    const auto& spec = gateway_errors::could_not_route;
    ErrorItem item{spec.code, fill(spec.message, full), {}};
    if (style == GatewayStyle::current) throw ApiError(404, {item});
    const auto& second = gateway_errors::no_route;
    throw ApiError(400, {item, ErrorItem{second.code, std::string(second.message), {}}});
}

void check_object_identifiers(const Request& request, GatewayStyle style) {
    for (const char* name : {"zone_id", "account_id"}) {
        auto it = request.params.find(name);
        if (it == request.params.end() || is_object_identifier(it->second)) continue;
        throw_could_not_route(request.path, style);
    }
}

std::optional<std::string> with_valid_identifier(std::string_view path) {
    std::size_t start = path.starts_with(Router::cloudflare_prefix) ? Router::cloudflare_prefix.size() : 0;
    for (std::string_view collection : {"/zones/", "/accounts/"}) {
        if (path.substr(start).starts_with(collection)) {
            std::size_t id_start = start + collection.size();
            std::size_t id_end = std::min(path.find('/', id_start), path.size());
            if (is_object_identifier(path.substr(id_start, id_end - id_start))) return std::nullopt;
            return std::string(path.substr(0, id_start)) + std::string(32, '0') + std::string(path.substr(id_end));
        }
    }
    return std::nullopt;
}


}  // namespace api::emulator
