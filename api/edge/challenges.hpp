#pragma once
// The HTTP tokens a custom hostname's validation fetches over plain HTTP on the edge:
//   /.well-known/cf-custom-hostname-challenge/<hostname id>  -> the ownership token
//   /.well-known/acme-challenge/<token>, /.well-known/pki-validation/<token>.txt -> the DCV token
// Served for hostnames that exist in any status: validation happens while they are pending.
#include <optional>
#include <string>

#include "storage/edge_repository.hpp"

namespace api::edge {

// The body to answer, or nullopt when the path is not a challenge of a hostname named `host`.
std::optional<std::string> challenge_answer(storage::EdgeRepository& repository, const std::string& host,
                                            const std::string& path);

// True for the three challenge prefixes, answered or not (so they are never proxied).
bool is_challenge_path(const std::string& path);

}  // namespace api::edge
