#pragma once
// How the custom hostname service judges an origin server name: custom_origin_server on a
// hostname and the zone's fallback origin share the rules and codes 1415-1420.
#include <string>

namespace api {

// The name lowercased, or ApiError with the 1415-1420 code of its first problem. (The copy in
// api/custom_hostnames.cpp, read_origin_server, can call this once the api/ refactor lands.)
std::string checked_origin_name(const std::string& origin);

}  // namespace api
