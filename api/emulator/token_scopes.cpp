#include "api/emulator/token_scopes.hpp"

namespace api::emulator {

std::optional<TokenScope> parse_token_scope(std::string_view spec) {
    auto colon = spec.find(':');
    TokenScope scope{std::string(spec.substr(0, colon)), {}};
    if (scope.token.empty()) return std::nullopt;
    if (colon == std::string_view::npos) return scope;
    auto zones = spec.substr(colon + 1);
    while (true) {
        auto comma = zones.find(',');
        auto zone = zones.substr(0, comma);
        if (zone.empty()) return std::nullopt;
        scope.zones.emplace(zone);
        if (comma == std::string_view::npos) return scope;
        zones.remove_prefix(comma + 1);
    }
}

void TokenScopes::add(TokenScope scope) {
    auto& zones = scopes_[scope.token];
    zones.insert(scope.zones.begin(), scope.zones.end());
}

bool TokenScopes::allows(std::string_view token, std::string_view zone_id) const {
    auto it = scopes_.find(token);
    if (it == scopes_.end() || it->second.empty() || zone_id.empty()) return true;
    return it->second.contains(std::string(zone_id));
}

}  // namespace api::emulator
