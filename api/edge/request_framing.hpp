#pragma once
// Whether a visitor's request can be forwarded without ambiguity about where it ends or whom it is
// for (RFC 9112 §3.2, §6.1, §6.3). Two parsers that disagree on a request's length are how
// requests are smuggled: the edge refuses what an origin could read differently.
#include <optional>
#include <string>
#include <vector>

namespace api::edge {

struct RequestFraming {
    unsigned version = 11;                       // 10 for HTTP/1.0, 11 for HTTP/1.1
    std::vector<std::string> transfer_encoding;  // each Transfer-Encoding field line's value
    bool has_content_length = false;             // (a malformed one never gets this far)
    std::vector<std::string> host;               // each Host field line's value
};

// nullopt when the request is framed unambiguously; else why not, for the log. The edge answers
// 400 and closes the connection:
//  - a Transfer-Encoding whose last coding is not chunked, or that applies chunked twice (the
//    length cannot be determined);
//  - Transfer-Encoding together with Content-Length (refused, as proxies do, rather than
//    forwarded with the Content-Length removed);
//  - Transfer-Encoding in an HTTP/1.0 request;
//  - more than one Host, none in HTTP/1.1, or a Host that is not a host[:port].
std::optional<std::string> framing_problem(const RequestFraming& request);

}  // namespace api::edge
