#include "api/edge/error_pages.hpp"

namespace api::edge {
namespace {

struct Spec {
    int status;
    int code;  // what the page calls "Error code"; equals status for 52x
    const char* title;
    const char* explanation;
};

// The reason phrases of Cloudflare's 5xx statuses as its documentation names them.
std::string reason_of(int status) {
    switch (status) {
        case 520: return "Web Server Returned an Unknown Error";
        case 521: return "Web Server Is Down";
        case 522: return "Connection Timed Out";
        case 523: return "Origin Is Unreachable";
        case 524: return "A Timeout Occurred";
        case 530: return "Origin DNS Error";
        default: return "";
    }
}

Spec spec(EdgeFailure failure) {
    switch (failure) {
        case EdgeFailure::origin_error:
            return {520, 520, "Web server is returning an unknown error",
                    "The origin web server closed the connection or answered something that is not HTTP."};
        case EdgeFailure::origin_refused:
            return {521, 521, "Web server is down", "The web server is not returning a connection."};
        case EdgeFailure::connect_timeout:
            return {522, 522, "Connection timed out", "The initial connection to the origin web server timed out."};
        case EdgeFailure::origin_unreachable:
            return {523, 523, "Origin is unreachable", "Cloudflare could not reach the origin web server."};
        case EdgeFailure::read_timeout:
            return {524, 524, "A timeout occurred", "The origin web server did not answer in time."};
        case EdgeFailure::no_origin:
            return {530, 1016, "Origin DNS error", "Cloudflare could not resolve the origin of this hostname."};
        case EdgeFailure::body_too_large:
            return {413, 413, "Request entity too large", "The request body is larger than the edge accepts."};
        case EdgeFailure::unknown_host:
            return {409, 1001, "DNS resolution error", "This hostname is not served by Cloudflare."};
        case EdgeFailure::bad_request:
            return {400, 400, "Bad Request", ""};
        case EdgeFailure::header_too_large:
            return {400, 400, "Request Header Or Cookie Too Large", ""};
    }
    return {502, 502, "Bad gateway", ""};
}

std::string escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace

ErrorPage error_page(EdgeFailure failure, const std::string& host, const std::string& ray) {
    auto s = spec(failure);
    std::string code = std::to_string(s.code);
    if (failure == EdgeFailure::bad_request || failure == EdgeFailure::header_too_large) {
        // No host or Ray ID in it: the request may not have a (single, valid) host.
        std::string title = code + " " + s.title;
        return {s.status, "", "<html>\n<head><title>" + title + "</title></head>\n<body>\n<center><h1>" + title +
                              "</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n"};
    }
    std::string body = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>" + escape(host) + " | " + code + ": " +
                       s.title + "</title></head>\n<body>\n<h1>" + s.title + " <span>Error code " + code +
                       "</span></h1>\n<p>" + s.explanation + "</p>\n<p>Host: " + escape(host) +
                       "</p>\n<p>Cloudflare Ray ID: <strong>" + escape(ray) +
                       "</strong> &bull; Performance &amp; security by Cloudflare (csr-emulator)</p>\n</body>\n</html>\n";
    return {s.status, reason_of(s.status), std::move(body)};
}

}  // namespace api::edge
