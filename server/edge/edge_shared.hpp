#pragma once
// State the edge's connections share: settings, the certificate selector, the origin resolver
// overrides, the logger. Private to server/edge/.
#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include "api/edge/certificate_selector.hpp"
#include "api/edge/error_pages.hpp"
#include "server/edge/edge_server.hpp"
#include "storage/edge_repository.hpp"

namespace server::edge {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct Shared {
    Shared(const EdgeSettings& s, storage::Database& db, Logger& log);

    EdgeSettings settings;
    Logger& logger;
    api::edge::CertificateSelector selector;
    storage::EdgeRepository repository;
    std::map<std::string, std::string> resolve;  // lower-case origin host -> IP
    std::uint16_t tls_port = 0;                  // for redirects to https
};

// One request from a visitor, answered: a validation token, a redirect, an error page, or the
// origin's response. `https` says which listener it came in on.
// An error page with the Ray ID and Cloudflare's response headers, for `request`.
Response failure_response(const Request& request, api::edge::EdgeFailure failure);

class OriginConnection;
boost::asio::awaitable<Response> answer(Shared& shared, Request& request, const std::string& client_ip, bool https,
                                        OriginConnection& origin);

}  // namespace server::edge
