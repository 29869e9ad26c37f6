#pragma once
// A real DNS server for tests: dnsmasq on 127.0.0.1 and a free port, answering only from the
// records given (no upstream, no /etc/hosts). Names under the records' domains that have no
// record get NXDOMAIN, as from an authoritative server. Stopped (by its pid) with the object.
#include <string>
#include <vector>

#include <sys/types.h>

#include "support/temp_dir.hpp"

namespace test_support {

struct DnsRecords {
    struct Cname { std::string name, target; };
    struct Txt { std::string name, value; };
    struct Address { std::string name, ipv4; };  // an IPv6 address there makes an AAAA record
    std::vector<Cname> cnames = {};       // dnsmasq answers a CNAME only if it knows its target:
    std::vector<Txt> txts = {};           //   give the last target of a chain an address
    std::vector<Address> addresses = {};  // A (or AAAA) records for exactly these names
    // Domains left without local=, as a hand-written config easily leaves them: dnsmasq then
    // answers REFUSED (no upstream) for any type of a name there it has no record of that type.
    std::vector<std::string> not_authoritative = {};
};

class Dnsmasq {
public:
    // Throws std::runtime_error if dnsmasq is missing or does not answer within 10 s.
    explicit Dnsmasq(const DnsRecords& records);
    ~Dnsmasq();
    Dnsmasq(const Dnsmasq&) = delete;
    Dnsmasq& operator=(const Dnsmasq&) = delete;

    unsigned short port() const { return port_; }
    std::string host() const { return "127.0.0.1"; }
    std::string address() const { return host() + ":" + std::to_string(port_); }  // for --dns-server

    // New records on the same port (dnsmasq rereads its configuration only on a restart).
    void replace(const DnsRecords& records);

private:
    void start(const DnsRecords& records);
    void stop();

    TempDir dir_;
    unsigned short port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace test_support
