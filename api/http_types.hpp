#pragma once
// The plain request and response api/ works with. The server converts Beast messages to and
// from these, so handlers can be unit-tested without a socket.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace api {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;      // "GET", "POST", ...
    std::string path;        // "/client/v4/zones/abc/custom_csrs" (no query)
    std::string query;       // raw query string without '?', e.g. "page=2&per_page=5"
    HeaderList headers;
    std::string body;
    std::string request_id;  // assigned by the server, echoed in logs

    // Path parameters filled by the router, e.g. {"zone_id": "abc"}.
    std::map<std::string, std::string, std::less<>> params;

    // Case-insensitive header lookup; the first occurrence wins.
    std::optional<std::string_view> header(std::string_view name) const;
    const std::string& param(std::string_view name) const;
};

struct Response {
    int status = 200;
    HeaderList headers;
    std::string body;
    // A fault rule's "drop": the server closes the connection without writing anything, as a
    // network failure would look to the client.
    bool drop_connection = false;
    // Set when the body's "errors" codes are known without reading it (an envelope api/ wrote:
    // none for a success), so the journal need not parse the body to find them.
    std::optional<std::vector<int>> error_codes;

    std::optional<std::string_view> header(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace api
