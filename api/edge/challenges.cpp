#include "api/edge/challenges.hpp"

#include <string_view>

#include "api/edge/hostname_lookup.hpp"

namespace api::edge {
namespace {

constexpr std::string_view ownership_prefix = "/.well-known/cf-custom-hostname-challenge/";
constexpr std::string_view acme_prefix = "/.well-known/acme-challenge/";
constexpr std::string_view pki_prefix = "/.well-known/pki-validation/";

}  // namespace

bool is_challenge_path(const std::string& path) {
    return path.starts_with(ownership_prefix) || path.starts_with(acme_prefix) || path.starts_with(pki_prefix);
}

std::optional<std::string> challenge_answer(storage::EdgeRepository& repository, const std::string& host,
                                            const std::string& path) {
    std::string name = normalize_host(host);
    std::string id, dcv;
    if (path.starts_with(ownership_prefix)) id = path.substr(ownership_prefix.size());
    else if (path.starts_with(acme_prefix)) dcv = path.substr(acme_prefix.size());
    else if (path.starts_with(pki_prefix) && path.ends_with(".txt"))
        dcv = path.substr(pki_prefix.size(), path.size() - pki_prefix.size() - 4);
    if (id.empty() && dcv.empty()) return std::nullopt;
    // Validation fetches the hostname itself, never through a wildcard.
    for (const auto& row : repository.hostnames_named({name})) {
        if (!id.empty() && row.id == id) return row.ownership_token;
        if (!dcv.empty() && row.dcv_token == dcv) return *row.dcv_token;
    }
    return std::nullopt;
}

}  // namespace api::edge
