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
// connection came in on. Instantiated for the TLS and the plain-HTTP stream in visitor_requests_{tls,plain}.cpp.
template <class Stream>
boost::asio::awaitable<void> serve_requests(Shared& shared, Stream& stream, VisitorConnection& connection,
                                            const std::string& client_ip, bool https);

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
using PlainStream = boost::beast::tcp_stream;
extern template boost::asio::awaitable<void> serve_requests<TlsStream>(Shared&, TlsStream&, VisitorConnection&,
                                                                       const std::string&, bool);
extern template boost::asio::awaitable<void> serve_requests<PlainStream>(Shared&, PlainStream&, VisitorConnection&,
                                                                         const std::string&, bool);

}  // namespace server::edge
