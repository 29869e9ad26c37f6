#pragma once
// HTTP GETs of validation tokens (ownership and ACME challenge URLs), with Beast as the client.
// The URL's host is resolved through the same DNS server as the lookups (DnsClient), so a test
// or a private setup controls where "http://customer.example/..." goes. Runs on its own
// io_context and thread, never on a socket thread; each fetch has one overall deadline.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "api/custom_hostnames/probes.hpp"
#include "server/dns_client.hpp"

namespace server {

struct HttpProbeOptions {
    std::chrono::milliseconds timeout{5000};  // resolve + connect + request + response
    // Port for URLs without one: 80 as Cloudflare uses; a test origin on a free port sets it.
    unsigned short default_port = 80;
};

class HttpProbe final : public api::HttpProbe {
public:
    // `dns` must outlive the probe.
    HttpProbe(DnsClient& dns, HttpProbeOptions options);
    ~HttpProbe() override;
    HttpProbe(const HttpProbe&) = delete;
    HttpProbe& operator=(const HttpProbe&) = delete;

    // Only http:// URLs; anything else completes with failed. The body is cut at max_body.
    void get(const std::string& url, const std::string& user_agent, std::function<void(api::HttpFetch)> done) override;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// "http://host[:port]/path" split; nullopt for anything else (https, userinfo, no host).
struct HttpUrl {
    std::string host;
    unsigned short port = 0;  // 0: not given
    std::string target;       // path and query, "/" at least
};
std::optional<HttpUrl> parse_http_url(const std::string& url);

}  // namespace server
