// The process configuration's edge part, as the edge server takes it.
#include "server/config.hpp"
#include "server/descriptor_limit.hpp"
#include "server/edge/edge_server.hpp"

namespace server {

EdgeSettings edge_settings(const Config& config) {
    EdgeSettings s;
    s.tls_listen = config.edge_listen;
    s.http_listen = config.edge_http_listen;
    s.threads = config.edge_threads;
    s.origin_port = config.edge_origin_port;
    s.resolve = config.edge_resolve;
    s.connect_timeout = std::chrono::milliseconds(config.edge_connect_timeout_ms);
    s.read_timeout = std::chrono::milliseconds(config.edge_read_timeout_ms);
    s.unrecognized_name_alert = config.edge_unknown_sni_alert == "unrecognized_name";
    s.always_https = config.edge_always_https;
    s.max_connections = edge_connection_limit(config.edge_max_connections).limit;
    s.max_body = config.edge_max_body;
    return s;
}

}  // namespace server
