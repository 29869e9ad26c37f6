#pragma once
// Strict-mode token scopes: `--api-token TOKEN:ZONE[,ZONE…]` (or CSR_EMULATOR_API_TOKENS) limits
// a token to some zones, so a test can check its client's handling of a token that lacks access.
// A token given without zones reaches every zone. Account routes are outside zone scopes.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace api::emulator {

struct TokenScope {
    std::string token;
    std::set<std::string> zones;  // empty: every zone
};

// "TOKEN" or "TOKEN:ZONE[,ZONE…]"; nullopt for an empty token or an empty zone in the list.
std::optional<TokenScope> parse_token_scope(std::string_view spec);

class TokenScopes {
public:
    void add(TokenScope scope);
    bool empty() const noexcept { return scopes_.empty(); }
    // True when `token` may act on `zone_id` (empty zone_id: not a zone route). Unknown tokens
    // are authentication's business, not ours: they pass here.
    bool allows(std::string_view token, std::string_view zone_id) const;

private:
    std::map<std::string, std::set<std::string>, std::less<>> scopes_;
};

}  // namespace api::emulator
