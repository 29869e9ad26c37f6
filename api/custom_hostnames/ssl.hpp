#pragma once
// The "ssl" of a custom hostname once its request is read (request.hpp): the upload checked
// against the CSR or key, the trust store and the hostname; the stored record (its JSON is
// hostname_json.hpp).
#include <string>
#include <string_view>

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

}  // namespace api
