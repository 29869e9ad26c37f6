// serve_requests for visitors of the TLS edge (visitor_exchange.hpp says why it has a file of its own).
#include "server/edge/visitor_exchange.hpp"

namespace server::edge {

template net::awaitable<void> serve_requests<TlsStream>(Shared&, TlsStream&, VisitorConnection&, const std::string&,
                                                        bool);

}  // namespace server::edge
