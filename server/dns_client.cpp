#include "server/dns_client.hpp"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ares.h>
#include <fcntl.h>
#include <sys/select.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace server {
namespace {

using api::ProbeStatus;

ProbeStatus status_of(int ares_status) {
    switch (ares_status) {
        case ARES_SUCCESS: return ProbeStatus::ok;
        case ARES_ENOTFOUND:
        case ARES_ENODATA: return ProbeStatus::not_found;
        case ARES_ETIMEOUT: return ProbeStatus::timed_out;
        default: return ProbeStatus::failed;
    }
}

// What a failed query got, in words a user checking their DNS server recognises: the response
// code the server answered (REFUSED, SERVFAIL, ...), or that no answer came.
std::string failure_text(const std::string& server, int ares_status, const char* type, const std::string& name) {
    const std::string query = std::string(" the ") + type + " query for " + name;
    switch (ares_status) {
        case ARES_EREFUSED: return server + " answered REFUSED to" + query;
        case ARES_ESERVFAIL: return server + " answered SERVFAIL to" + query;
        case ARES_ENOTIMP: return server + " answered NOTIMP to" + query;
        case ARES_EFORMERR: return server + " answered FORMERR to" + query;
        case ARES_ETIMEOUT: return server + " did not answer" + query + " (timed out)";
        case ARES_ECONNREFUSED: return server + " refused the connection for" + query;
        default: return query.substr(1) + " to " + server + " failed: " + ares_strerror(ares_status);
    }
}

std::string lower_without_dot(std::string name) {
    if (!name.empty() && name.back() == '.') name.pop_back();
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

// The CNAME records of an answer section, owner -> target (c-ares has no CNAME parser).
std::map<std::string, std::string> cnames_in(const unsigned char* abuf, int alen) {
    std::map<std::string, std::string> out;
    if (alen < 12) return out;
    const unsigned char* p = abuf + 12;
    const unsigned char* end = abuf + alen;
    int questions = (abuf[4] << 8) | abuf[5];
    int answers = (abuf[6] << 8) | abuf[7];
    auto expand = [&](const unsigned char* at, std::string& name) -> long {
        char* text = nullptr;
        long length = 0;
        if (ares_expand_name(at, abuf, alen, &text, &length) != ARES_SUCCESS) return -1;
        name = text;
        ares_free_string(text);
        return length;
    };
    std::string name;
    for (int i = 0; i < questions; ++i) {
        long n = expand(p, name);
        if (n < 0 || p + n + 4 > end) return out;
        p += n + 4;
    }
    for (int i = 0; i < answers; ++i) {
        long n = expand(p, name);
        if (n < 0 || p + n + 10 > end) return out;
        p += n;
        int type = (p[0] << 8) | p[1];
        int rdlength = (p[8] << 8) | p[9];
        p += 10;
        if (p + rdlength > end) return out;
        std::string target;
        if (type == ns_t_cname && expand(p, target) >= 0) out[lower_without_dot(name)] = lower_without_dot(target);
        p += rdlength;
    }
    return out;
}

using Answer = std::function<void(int status, const unsigned char* abuf, int alen)>;

void on_answer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    std::unique_ptr<Answer> answer(static_cast<Answer*>(arg));
    (*answer)(status, abuf, alen);
}

}  // namespace

// One c-ares channel driven by one thread: queued work starts queries, select() waits for the
// channel's sockets or a wake-up byte, ares_process() runs the callbacks.
struct DnsClient::Impl {
    std::string server;  // "127.0.0.1:5353", as failures name it
    ares_channel channel = nullptr;
    int wake[2] = {-1, -1};
    std::mutex mutex;
    std::deque<std::function<void()>> queue;
    std::atomic<bool> stopping{false};
    std::thread thread;

    explicit Impl(const DnsClientOptions& options) {
        static const int library = ares_library_init(ARES_LIB_INIT_ALL);
        if (library != ARES_SUCCESS) throw std::runtime_error("c-ares: " + std::string(ares_strerror(library)));
        ares_options opts{};
        opts.timeout = static_cast<int>(options.timeout.count());
        opts.tries = options.tries;
        // SERVFAIL / REFUSED are answers to report, not reasons to try elsewhere.
        opts.flags = ARES_FLAG_NOCHECKRESP;
        int status = ares_init_options(&channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
        if (status != ARES_SUCCESS) throw std::runtime_error("c-ares: " + std::string(ares_strerror(status)));
        bool v6 = options.server.find(':') != std::string::npos;
        std::string csv = (v6 ? "[" + options.server + "]" : options.server) + ":" + std::to_string(options.port);
        server = csv;
        status = ares_set_servers_ports_csv(channel, csv.c_str());
        if (status != ARES_SUCCESS) {
            ares_destroy(channel);
            throw std::runtime_error("invalid DNS server '" + options.server + "': " + ares_strerror(status));
        }
        if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
            ares_destroy(channel);
            throw std::runtime_error("pipe2 failed");
        }
        thread = std::thread([this] { run(); });
    }

    ~Impl() {
        stopping = true;
        notify();
        thread.join();
        ares_destroy(channel);  // pending queries complete with ARES_EDESTRUCTION, here
        close(wake[0]);
        close(wake[1]);
    }

    void notify() {
        char byte = 1;
        [[maybe_unused]] auto n = write(wake[1], &byte, 1);
    }

    void post(std::function<void()> work) {
        {
            std::lock_guard lock(mutex);
            queue.push_back(std::move(work));
        }
        notify();
    }

    // Only on the DNS thread.
    void query(const std::string& name, int type, Answer answer) {
        if (stopping) {
            answer(ARES_EDESTRUCTION, nullptr, 0);
            return;
        }
        ares_query(channel, name.c_str(), ns_c_in, type, on_answer, new Answer(std::move(answer)));
    }

    void run() {
        while (true) {
            std::deque<std::function<void()>> work;
            {
                std::lock_guard lock(mutex);
                work.swap(queue);
            }
            for (auto& job : work) job();
            if (stopping) break;
            fd_set readers, writers;
            FD_ZERO(&readers);
            FD_ZERO(&writers);
            int nfds = ares_fds(channel, &readers, &writers);
            FD_SET(wake[0], &readers);
            nfds = std::max(nfds, wake[0] + 1);
            timeval max_wait{0, 200'000}, wait{};
            timeval* timeout = ares_timeout(channel, &max_wait, &wait);
            select(nfds, &readers, &writers, nullptr, timeout);
            if (FD_ISSET(wake[0], &readers)) {
                char buffer[64];
                while (read(wake[0], buffer, sizeof buffer) > 0) {
                }
            }
            ares_process(channel, &readers, &writers);
        }
        // Answer what was queued but never started, so every caller hears back once.
        std::deque<std::function<void()>> work;
        {
            std::lock_guard lock(mutex);
            work.swap(queue);
        }
        for (auto& job : work) job();  // query() sees `stopping` and fails at once
    }

    // Follows the chain hop by hop; one answer may already hold several hops. The walk ends
    // at `stop_at` (the CNAME target): what lies beyond it proves nothing more.
    void follow(std::string current, int hops_left, std::string stop_at, std::shared_ptr<api::CnameChain> chain,
                bool first, std::shared_ptr<std::function<void(api::CnameChain)>> done) {
        query(current, ns_t_cname, [this, current, hops_left, stop_at, chain, first, done](
                                       int status, const unsigned char* abuf, int alen) {
            if (status != ARES_SUCCESS && status != ARES_ENODATA && !(status == ARES_ENOTFOUND && !first)) {
                chain->status = status_of(status);
                if (chain->status != ProbeStatus::not_found)
                    chain->failure = failure_text(server, status, "CNAME", lower_without_dot(current));
                (*done)(std::move(*chain));
                return;
            }
            auto records = status == ARES_SUCCESS ? cnames_in(abuf, alen) : std::map<std::string, std::string>{};
            std::string at = lower_without_dot(current);
            int left = hops_left;
            bool reached = false;
            while (left > 0 && !reached) {
                auto hop = records.find(at);
                if (hop == records.end()) break;
                at = hop->second;
                chain->names.push_back(at);
                --left;
                reached = !stop_at.empty() && at == stop_at;
            }
            bool moved = left < hops_left;
            if (!moved || left == 0 || reached) {
                chain->status = ProbeStatus::ok;
                (*done)(std::move(*chain));
                return;
            }
            follow(at, left, stop_at, chain, false, done);
        });
    }
};

DnsClient::DnsClient(DnsClientOptions options) : impl_(std::make_unique<Impl>(options)) {}

DnsClient::~DnsClient() = default;

void DnsClient::cname_chain(const std::string& name, int max_hops, const std::string& stop_at,
                            std::function<void(api::CnameChain)> done) {
    auto shared_done = std::make_shared<std::function<void(api::CnameChain)>>(std::move(done));
    impl_->post([this, name, max_hops, stop = lower_without_dot(stop_at), shared_done] {
        impl_->follow(name, max_hops, stop, std::make_shared<api::CnameChain>(), true, shared_done);
    });
}

void DnsClient::txt(const std::string& name, std::function<void(api::TxtRecords)> done) {
    impl_->post([this, name, done = std::move(done)]() mutable {
        impl_->query(name, ns_t_txt, [this, name, done = std::move(done)](int status, const unsigned char* abuf,
                                                                             int alen) {
            api::TxtRecords out;
            out.status = status_of(status);
            if (out.status == ProbeStatus::failed || out.status == ProbeStatus::timed_out)
                out.failure = failure_text(impl_->server, status, "TXT", name);
            ares_txt_ext* replies = nullptr;
            if (status == ARES_SUCCESS && ares_parse_txt_reply_ext(abuf, alen, &replies) == ARES_SUCCESS) {
                // A record may be split into several character-strings; Cloudflare reads them joined.
                for (ares_txt_ext* r = replies; r; r = r->next) {
                    if (r->record_start || out.values.empty()) out.values.emplace_back();
                    out.values.back().append(reinterpret_cast<const char*>(r->txt), r->length);
                }
                ares_free_data(replies);
            } else if (status == ARES_SUCCESS) {
                out.status = ProbeStatus::failed;
                out.failure = "the TXT answer for " + name + " from " + impl_->server + " could not be parsed";
            }
            if (out.status == ProbeStatus::ok && out.values.empty()) out.status = ProbeStatus::not_found;
            done(std::move(out));
        });
    });
}

void DnsClient::addresses(const std::string& name, std::function<void(Addresses)> done) {
    impl_->post([this, name, done = std::move(done)]() mutable {
        impl_->query(name, ns_t_a, [done = std::move(done)](int status, const unsigned char* abuf, int alen) {
            Addresses out;
            out.status = status_of(status);
            if (status == ARES_SUCCESS) {
                ares_addrttl records[16];
                int count = 16;
                if (ares_parse_a_reply(abuf, alen, nullptr, records, &count) == ARES_SUCCESS) {
                    for (int i = 0; i < count; ++i) {
                        char text[INET_ADDRSTRLEN];
                        if (inet_ntop(AF_INET, &records[i].ipaddr, text, sizeof text)) out.ipv4.emplace_back(text);
                    }
                }
                if (out.ipv4.empty()) out.status = ProbeStatus::not_found;
            }
            done(std::move(out));
        });
    });
}

void DnsClient::has_address(const std::string& name, std::function<void(api::ProbeStatus)> done) {
    // An A record answers it; only when there is none is AAAA asked. A CNAME without an address
    // at its end answers no address record, which is "not found" too.
    auto shared_done = std::make_shared<std::function<void(api::ProbeStatus)>>(std::move(done));
    auto answered = [](int status, const unsigned char* abuf, int alen, int type) {
        if (status != ARES_SUCCESS) return status_of(status);
        ares_addrttl v4[4];
        ares_addr6ttl v6[4];
        int count = 4;
        int parsed = type == ns_t_a ? ares_parse_a_reply(abuf, alen, nullptr, v4, &count)
                                    : ares_parse_aaaa_reply(abuf, alen, nullptr, v6, &count);
        if (parsed == ARES_ENODATA) return ProbeStatus::not_found;
        if (parsed != ARES_SUCCESS) return ProbeStatus::failed;
        return count > 0 ? ProbeStatus::ok : ProbeStatus::not_found;
    };
    impl_->post([this, name, shared_done, answered] {
        impl_->query(name, ns_t_a, [this, name, shared_done, answered](int status, const unsigned char* abuf, int alen) {
            ProbeStatus v4 = answered(status, abuf, alen, ns_t_a);
            if (v4 != ProbeStatus::not_found) return (*shared_done)(v4);
            impl_->query(name, ns_t_aaaa, [shared_done, answered](int status, const unsigned char* abuf, int alen) {
                (*shared_done)(answered(status, abuf, alen, ns_t_aaaa));
            });
        });
    });
}

}  // namespace server
