// serve_requests for visitors of the plain-HTTP edge (visitor_exchange.hpp says why it has a file of its own).
#include "server/edge/visitor_exchange.hpp"

namespace server::edge {

template net::awaitable<void> serve_requests<PlainStream>(Shared&, PlainStream&, VisitorConnection&,
                                                          const std::string&, bool);

}  // namespace server::edge
