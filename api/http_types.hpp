#pragma once
// The plain request and response api/ works with. The server converts Beast messages to and
// from these, so handlers can be unit-tested without a socket.
#include <map>
#include <memory>
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

// A body too large to hold whole (the journal), pulled piece by piece: the server asks for the
// next piece only once the previous one is written, so a reader costs one piece of memory, not
// the whole answer. Pieces are made on the connection's thread: each should be bounded (a few
// hundred KB) and quick to make.
class BodyStream {
public:
    virtual ~BodyStream() = default;
    // Replaces `piece` with the next non-empty piece and returns true, or returns false (piece
    // empty) once the body is complete. May throw: the server then cuts the connection, since
    // the status line has already gone out.
    virtual bool next(std::string& piece) = 0;
};

struct Response {
    int status = 200;
    HeaderList headers;
    std::string body;
    // When set, the body is this stream's pieces instead of `body` (which stays empty).
    std::shared_ptr<BodyStream> stream;
    // A fault rule's "drop": the server closes the connection without writing anything, as a
    // network failure would look to the client.
    bool drop_connection = false;
    // Set when the body's "errors" codes are known without reading it (an envelope api/ wrote:
    // none for a success), so the journal need not parse the body to find them.
    std::optional<std::vector<int>> error_codes;

    std::optional<std::string_view> header(std::string_view name) const;
};

// Pulls a streamed body whole into `body` (for callers that need it in one string, such as tests).
void read_whole_body(Response& response);

bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace api
