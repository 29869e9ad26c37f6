// dns_fixture: the C++ suites' dnsmasq helper (support/dnsmasq.hpp) for the script suites (the
// official clients, the edge), so every suite loads records into dnsmasq the same way.
//
// Protocol, one line each way. Each line on stdin is a JSON object of records,
//   {"cnames": [[name, target], ...], "txts": [[name, value], ...], "addresses": [[name, ip], ...]}
// (every key optional). The first starts dnsmasq on 127.0.0.1 and a free port and is answered
// "ready 127.0.0.1:PORT"; each later one replaces the records (dnsmasq restarted on that port) and
// is answered "ok". A failure is answered "error <text>" (and ends the fixture if it was the first).
// End of stdin, SIGTERM or SIGINT stop dnsmasq and exit 0.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "support/dnsmasq.hpp"

namespace {

volatile sig_atomic_t stopping = 0;

void on_signal(int) { stopping = 1; }

test_support::DnsRecords records_of(const std::string& line) {
    auto doc = nlohmann::json::parse(line);
    if (!doc.is_object()) throw std::runtime_error("records must be a JSON object");
    test_support::DnsRecords out;
    auto pairs = [&](const char* key, auto add) {
        if (!doc.contains(key)) return;
        for (const auto& pair : doc.at(key)) {
            if (!pair.is_array() || pair.size() != 2) throw std::runtime_error(std::string(key) + ": pairs expected");
            add(pair[0].get<std::string>(), pair[1].get<std::string>());
        }
    };
    pairs("cnames", [&](std::string a, std::string b) { out.cnames.push_back({std::move(a), std::move(b)}); });
    pairs("txts", [&](std::string a, std::string b) { out.txts.push_back({std::move(a), std::move(b)}); });
    pairs("addresses", [&](std::string a, std::string b) { out.addresses.push_back({std::move(a), std::move(b)}); });
    return out;
}

// The next line of stdin; nullopt at its end or once a stop signal came (read is not restarted).
std::optional<std::string> next_line(std::string& buffer) {
    while (true) {
        if (auto at = buffer.find('\n'); at != std::string::npos) {
            std::string line = buffer.substr(0, at);
            buffer.erase(0, at + 1);
            return line;
        }
        char chunk[4096];
        ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR && !stopping) continue;
        if (n <= 0) return std::nullopt;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace

int main() {
    struct sigaction action {};
    action.sa_handler = on_signal;  // no SA_RESTART: a blocked read returns, and dnsmasq is stopped
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    std::unique_ptr<test_support::Dnsmasq> dns;
    std::string buffer;
    while (!stopping) {
        auto line = next_line(buffer);
        if (!line) break;
        try {
            auto records = records_of(*line);
            if (!dns) {
                dns = std::make_unique<test_support::Dnsmasq>(records);
                std::cout << "ready " << dns->address() << std::endl;
            } else {
                dns->replace(records);
                std::cout << "ok" << std::endl;
            }
        } catch (const std::exception& e) {
            std::string text = e.what();
            for (char& c : text)
                if (c == '\n' || c == '\r') c = ' ';
            std::cout << "error " << text << std::endl;
            if (!dns) return 1;
        }
    }
    return 0;  // ~Dnsmasq stops dnsmasq and removes its configuration
}
