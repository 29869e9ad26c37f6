#include "support/dnsmasq.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/eventually.hpp"

namespace test_support {
namespace {

// A port free for both UDP and TCP right now (dnsmasq listens on both).
unsigned short free_port() {
    for (int attempt = 0; attempt < 20; ++attempt) {
        int udp = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        bind(udp, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        getsockname(udp, reinterpret_cast<sockaddr*>(&addr), &len);
        int tcp = socket(AF_INET, SOCK_STREAM, 0);
        bool tcp_free = bind(tcp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        close(tcp);
        close(udp);
        if (tcp_free) return ntohs(addr.sin_port);
    }
    throw std::runtime_error("no free port for dnsmasq");
}

bool tcp_answers(unsigned short port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(s);
    return ok;
}

// "a.b.acme.io" -> "acme.io": dnsmasq is made authoritative (local=) for these.
std::string domain_of(const std::string& name) {
    auto last = name.rfind('.');
    if (last == std::string::npos || last == 0) return name;
    auto before = name.rfind('.', last - 1);
    return before == std::string::npos ? name : name.substr(before + 1);
}

std::string config_text(const DnsRecords& records) {
    std::ostringstream out;
    std::set<std::string> domains;
    for (const auto& r : records.addresses) {
        out << "host-record=" << r.name << "," << r.ipv4 << "\n";
        domains.insert(domain_of(r.name));
    }
    for (const auto& r : records.cnames) {
        out << "cname=" << r.name << "," << r.target << "\n";
        domains.insert(domain_of(r.name));
    }
    for (const auto& r : records.txts) {
        out << "txt-record=" << r.name << ",\"" << r.value << "\"\n";
        domains.insert(domain_of(r.name));
    }
    for (const auto& d : records.not_authoritative) domains.erase(d);
    for (const auto& d : domains) out << "local=/" << d << "/\n";
    return out.str();
}

}  // namespace

Dnsmasq::Dnsmasq(const DnsRecords& records) {
    port_ = free_port();
    start(records);
}

Dnsmasq::~Dnsmasq() { stop(); }

void Dnsmasq::replace(const DnsRecords& records) {
    stop();
    start(records);
}

void Dnsmasq::start(const DnsRecords& records) {
    std::string conf = dir_.file("dnsmasq.conf");
    std::ofstream(conf) << config_text(records);
    std::string log = dir_.file("dnsmasq.log");
    std::vector<std::string> args = {"dnsmasq", "--no-daemon", "--port=" + std::to_string(port_),
                                     "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv",
                                     "--no-hosts", "--pid-file", "--conf-file=" + conf};
    // As root dnsmasq would switch to "nobody"; staying root keeps the test independent of that user.
    if (geteuid() == 0) args.push_back("--user=root");
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // dnsmasq goes with the process that started it, even one killed before it could stop it.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
        FILE* out = freopen(log.c_str(), "w", stderr);
        (void)out;
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (const char* path : {"/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"}) execv(path, argv.data());
        execvp("dnsmasq", argv.data());
        _exit(127);
    }
    auto listening = [&] {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            std::ifstream in(log);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            throw std::runtime_error("dnsmasq exited: " + text);
        }
        return tcp_answers(port_);
    };
    if (eventually(listening, std::chrono::seconds(10), std::chrono::milliseconds(20))) return;
    stop();
    throw std::runtime_error("dnsmasq did not start listening on port " + std::to_string(port_));
}

void Dnsmasq::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace test_support
