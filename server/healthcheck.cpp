#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>

#include "server/commands.hpp"
#include "server/config.hpp"

namespace server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A plain blocking probe: the container image has no curl, and this must not depend on one.
int run_healthcheck(const std::vector<std::string>& args) {
    Config defaults;
    std::string listen = std::getenv("CSR_EMULATOR_LISTEN") ? std::getenv("CSR_EMULATOR_LISTEN") : "";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--listen" && i + 1 < args.size()) {
            listen = args[++i];
        } else if (args[i].starts_with("--listen=")) {
            listen = args[i].substr(9);
        } else {
            std::fprintf(stderr, "csr-emulator healthcheck: unknown option '%s'\n", args[i].c_str());
            return 2;
        }
    }
    std::string host = defaults.listen_host;
    std::uint16_t port = defaults.listen_port;
    if (!listen.empty()) {
        auto parsed = parse_host_port(listen);
        if (!parsed) {
            std::fprintf(stderr, "csr-emulator healthcheck: bad address '%s'\n", listen.c_str());
            return 2;
        }
        std::tie(host, port) = *parsed;
    }
    // A wildcard listen address is reached through loopback.
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";

    try {
        net::io_context ioc;
        tcp::resolver resolver(ioc);
        tcp::socket socket(ioc);
        net::connect(socket, resolver.resolve(host, std::to_string(port)));
        // Host names what was dialled (an address, or the --listen name), so the server's Host
        // rule (api/emulator/control_access.hpp) accepts it; an IPv6 address goes in brackets.
        std::string authority =
            (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
        std::string request = "GET /_emulator/health HTTP/1.1\r\nHost: " + authority +
                              "\r\nConnection: close\r\nUser-Agent: csr-emulator-healthcheck\r\n\r\n";
        net::write(socket, net::buffer(request));
        std::string response;
        boost::system::error_code ec;
        net::read(socket, net::dynamic_buffer(response), ec);  // until the server closes
        if (response.starts_with("HTTP/1.1 200") && response.find("\"ok\"") != std::string::npos) return 0;
        std::fprintf(stderr, "csr-emulator healthcheck: unexpected answer from %s:%u\n", host.c_str(), port);
    } catch (const boost::system::system_error& e) {
        std::fprintf(stderr, "csr-emulator healthcheck: %s:%u: %s\n", host.c_str(), port, e.code().message().c_str());
    }
    return 1;
}

}  // namespace server
