#pragma once
// DNS lookups for hostname validation, with c-ares against one configured server
// (--dns-server HOST:PORT). Lookups run on the client's own thread, never on a socket thread;
// every callback runs there too, exactly once (with failed if the client is destroyed first).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/custom_hostnames/probes.hpp"

namespace server {

struct DnsClientOptions {
    std::string server = "127.0.0.1";  // an IPv4 or IPv6 address
    unsigned short port = 53;
    std::chrono::milliseconds timeout{1000};  // per try
    int tries = 2;
};

struct Addresses {
    api::ProbeStatus status = api::ProbeStatus::failed;
    std::vector<std::string> ipv4;  // dotted quads
};

class DnsClient final : public api::DnsProbe {
public:
    // Throws std::runtime_error when c-ares cannot start or the server address is invalid.
    explicit DnsClient(DnsClientOptions options);
    ~DnsClient() override;
    DnsClient(const DnsClient&) = delete;
    DnsClient& operator=(const DnsClient&) = delete;

    void cname_chain(const std::string& name, int max_hops, const std::string& stop_at,
                     std::function<void(api::CnameChain)> done) override;
    void txt(const std::string& name, std::function<void(api::TxtRecords)> done) override;
    void has_address(const std::string& name, std::function<void(api::ProbeStatus)> done) override;
    // A records (CNAMEs followed by the server), for the HTTP probe.
    void addresses(const std::string& name, std::function<void(Addresses)> done);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace server
