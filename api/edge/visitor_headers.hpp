#pragma once
// What Cloudflare's edge tells the origin about the visitor, and the Ray ID both sides see.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace api::edge {

// 16 lower-case hex digits and a colo suffix, like Cloudflare's "8f3a6c2d1b0e4a97-AMS"; "EMU"
// names the emulator as the data centre.
std::string new_ray_id();

// Headers to set on the request to the origin, replacing any the visitor sent under these names
// (a visitor cannot forge CF-Connecting-IP). X-Forwarded-For is the one that appends: the
// visitor's list, then the connecting address. Host is left alone.
std::vector<std::pair<std::string, std::string>> origin_request_headers(
    const std::string& client_ip, const std::optional<std::string>& incoming_forwarded_for, const std::string& ray,
    bool https = true);

// Visitor-sent headers dropped before forwarding (hop-by-hop, and ones Cloudflare overwrites).
bool is_replaced_request_header(std::string_view name);

}  // namespace api::edge
