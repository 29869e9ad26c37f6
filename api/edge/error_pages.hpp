#pragma once
// The HTML pages Cloudflare's edge answers when it cannot get a response from the origin, or
// will not forward the request.
#include <string>

namespace api::edge {

enum class EdgeFailure {
    origin_error,         // 520 Web server is returning an unknown error (closed, unparsable answer)
    origin_refused,       // 521 Web server is down
    connect_timeout,      // 522 Connection timed out
    origin_unreachable,   // 523 Origin is unreachable (name does not resolve, no route)
    read_timeout,         // 524 A timeout occurred
    no_origin,            // 530 with error 1016: Origin DNS error (no custom or fallback origin)
    unknown_host,         // 409 with error 1001: DNS resolution error (no such custom hostname)
    body_too_large,       // 413: the visitor's body is over the edge's limit
    bad_request,          // 400: a request the edge cannot frame or route safely (RFC 9112)
    header_too_large      // 400: request headers over the edge's limit
};

struct ErrorPage {
    int status = 0;
    // The status line's reason phrase for Cloudflare's own statuses (e.g. "521 Web Server Is
    // Down"); empty for standard statuses, whose phrase is the usual one.
    std::string reason;
    std::string body;  // text/html
};

// Names the error code, the host and the Ray ID, as Cloudflare's pages do; the 400s are the short
// nginx-style page Cloudflare answers a malformed request with.
ErrorPage error_page(EdgeFailure failure, const std::string& host, const std::string& ray);

}  // namespace api::edge
