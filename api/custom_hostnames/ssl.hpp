#pragma once
// The "ssl" of a custom hostname once its request is read (request.hpp): the upload checked
// against the CSR or key, the trust store and the hostname; the stored record; the response.
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "api/context.hpp"
#include "api/custom_hostnames/request.hpp"
#include "storage/hostname_repository.hpp"

namespace api {

// The CA a Cloudflare-managed certificate reports as its issuer when the request named none:
// Cloudflare's default prefers Google Trust Services (Cloudflare's documentation; the value it echoes is
// undocumented). A value of the schema's enum, so clients validating it accept it; the
// certificate itself comes from the emulator's test CA.
inline constexpr const char* default_certificate_authority = "google";

// The customer's certificate (ssl.managed() is false) checked as Cloudflare checks it: the key
// of the zone's custom CSR or of custom_key, a trusted chain unless bundle_method is force, the
// hostname covered. Throws ApiError with the hostname service's codes (Cloudflare's documentation).
storage::StoredCertificate check_hostname_upload(Context& context, const std::string& zone_id,
                                                 const std::string& hostname, const HostnameSslRequest& ssl);

// The SSL configuration to store, with new ids: an active uploaded certificate (checked with
// check_hostname_upload), or a Cloudflare-managed DV certificate awaiting validation.
storage::HostnameSsl make_hostname_ssl(Context& context, const std::string& zone_id, const std::string& hostname,
                                       const HostnameSslRequest& ssl);

// Names a stored column of a hostname in a log line: "custom_hostnames/<id>/<column>".
inline std::string stored_column(const storage::CustomHostname& hostname, std::string_view column) {
    return "custom_hostnames/" + hostname.id + "/" + std::string(column);
}

// Stored JSON (settings, errors) is read through api/stored_json.hpp: a broken value is shown as
// its safe default and reported to `log`.
nlohmann::json hostname_ssl_json(const storage::CustomHostname& hostname, const LogSink& log);

// The whole custom hostname as Cloudflare answers it (handlers.cpp).
nlohmann::json custom_hostname_json(const storage::CustomHostname& hostname, const LogSink& log);

}  // namespace api
