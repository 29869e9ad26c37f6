#pragma once
// POST /zones/{zone_id}/ssl/certificate_packs/order read into a plain struct: JSON in, an order
// or a Cloudflare error out. The zone's name (for the apex rule) comes from the handler.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace api {

struct CertificatePackOrder {
    std::vector<std::string> hosts;  // lower case, in request order, duplicates dropped
    std::string validation_method;   // txt | http | email
    std::int64_t validity_days = 90;
    std::string certificate_authority;  // google | lets_encrypt | ssl_com
    bool cloudflare_branding = false;
};

inline constexpr std::size_t max_pack_hosts = 50;

// Every field but cloudflare_branding is required, as in Cloudflare's schema. Throws ApiError
// (certificate_pack_errors): 1460 a field missing or of the wrong type or value, or http
// validation for a wildcard host (a wildcard is validated by TXT only); 1462 no host or more than
// 50; 1463 a host that is not `zone_name` or under it; 1461 no host is the zone apex; 1469 every
// host longer than 64 characters (none fits a certificate's common name) without branding.
CertificatePackOrder read_certificate_pack_order(const nlohmann::json& body, const std::string& zone_name);

}  // namespace api
