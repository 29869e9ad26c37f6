#pragma once
// POST /certificates read into a plain struct: JSON in, a request or a Cloudflare error out. The
// hostnames' zones are the handler's (they need the database).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace api {

struct OriginCaRequest {
    std::string csr;
    std::vector<std::string> hostnames;  // lower case, in request order, duplicates dropped
    std::string request_type;            // origin-rsa | origin-ecc | keyless-certificate
    std::int64_t requested_validity = 5475;
};

inline constexpr std::size_t max_origin_hostnames = 100;

// Throws ApiError: 1015 a field missing or of the wrong type or value, 1011 a hostname that is
// empty, an IP address, not a DNS name, a wildcard other than one leading "*." on a name of two
// labels or more, or more than 100 of them.
OriginCaRequest read_origin_ca_request(const nlohmann::json& body);

}  // namespace api
