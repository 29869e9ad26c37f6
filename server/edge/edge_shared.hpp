#pragma once
// State the edge's connections share: settings, the certificate selector, the origin resolver
// overrides, the logger. Private to server/edge/.
#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "api/edge/certificate_selector.hpp"
#include "server/edge/edge_server.hpp"
#include "storage/edge_repository.hpp"

namespace server {
class ErasedStream;
}

namespace server::edge {

class VisitorConnection;

struct Shared {
    Shared(const EdgeSettings& s, storage::Database& db, Logger& log);

    EdgeSettings settings;
    Logger& logger;
    api::edge::CertificateSelector selector;
    storage::EdgeRepository repository;
    std::map<std::string, std::string> resolve;  // lower-case origin host -> IP
    std::uint16_t tls_port = 0;                  // for redirects to https
};

// The requests of one visitor connection, one after another, until either side closes or a
// request cannot be framed: each answered with a validation token (plain HTTP), a redirect, an
// error page, or the origin's answer, bodies streamed both ways. `https` says which listener the
// connection came in on (`stream` is TLS then). Returns the visitor's read or write failure that
// ended it (closed, reset, timed out, shed), or no error when the edge ended it after an answer.
// visitor_exchange.cpp.
boost::asio::awaitable<boost::system::error_code> serve_requests(Shared& shared, ErasedStream& stream,
                                                                 VisitorConnection& connection,
                                                                 const std::string& client_ip, bool https);

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
using PlainStream = boost::beast::tcp_stream;

}  // namespace server::edge
