#pragma once
// The "ssl" object of a custom hostname: read and checked from a request, and shown in responses.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "storage/hostname_repository.hpp"

namespace api {

// Builds the hostname's SSL configuration from the request's "ssl" object: a certificate the
// customer uploads (with a custom CSR id or with its key), checked as Cloudflare checks it; or
// a Cloudflare-managed DV certificate awaiting validation. Throws ApiError with the hostname
// service's codes (CONTRACT §6.2).
storage::HostnameSsl read_hostname_ssl(Context& context, const std::string& zone_id, const std::string& hostname,
                                       const nlohmann::json& ssl);

nlohmann::json hostname_ssl_json(const storage::CustomHostname& hostname);

}  // namespace api
