#include "api/custom_hostnames/validation_checks.hpp"

#include <memory>
#include <mutex>
#include <vector>

namespace api {
namespace {

// The CA's fetcher is not Cloudflare's; the emulator names itself.
constexpr const char* dcv_user_agent = "csr-emulator DCV check";

// The results gathered so far; the last probe to answer hands them over.
struct Round {
    std::mutex mutex;
    lifecycle::ProbeResults results;
    int outstanding = 0;
    std::function<void(lifecycle::ProbeResults)> done;

    // Records one answer under the lock; the last one calls `done` outside it.
    template <typename Record>
    void answer(Record record) {
        std::unique_lock lock(mutex);
        record(results);
        if (--outstanding > 0) return;
        lock.unlock();
        done(std::move(results));
    }
};

std::optional<std::vector<std::string>> values_of(const TxtRecords& txt) {
    if (txt.status == ProbeStatus::ok) return txt.values;
    if (txt.status == ProbeStatus::not_found) return std::vector<std::string>{};
    return std::nullopt;
}

std::optional<std::string> body_of(const HttpFetch& fetch) {
    if (fetch.status == ProbeStatus::ok) return fetch.body;
    return std::nullopt;
}

}  // namespace

std::string ownership_txt_name(const std::string& hostname) { return "_cf-custom-hostname." + hostname; }
std::string ownership_http_url(const std::string& hostname, const std::string& id) {
    return "http://" + hostname + "/.well-known/cf-custom-hostname-challenge/" + id;
}
std::string dcv_txt_name(const std::string& hostname) { return "_acme-challenge." + hostname; }
std::string dcv_http_url(const std::string& hostname, const std::string& token) {
    return "http://" + hostname + "/.well-known/acme-challenge/" + token;
}

std::string dcv_shown_http_url(const std::string& hostname, const std::string& token) {
    return "http://" + hostname + "/.well-known/pki-validation/" + token + ".txt";
}

void run_checks(DnsProbe& dns, HttpProbe& http, const CheckTargets& targets,
                std::function<void(lifecycle::ProbeResults)> done) {
    auto round = std::make_shared<Round>();
    round->done = std::move(done);
    // Counted before any probe starts, so an early answer cannot finish the round.
    const bool walk = !targets.ownership_by_txt_only;
    const bool ownership_http = walk, dcv_http = !targets.dcv_by_txt_only;
    round->outstanding = (walk ? 1 : 0) + (targets.ownership ? 1 + ownership_http : 0) +
                         (targets.validation ? 1 + 2 * dcv_http : 0);
    if (round->outstanding == 0) {
        round->done(std::move(round->results));
        return;
    }
    const std::string& host = targets.hostname;

    if (walk) {
        dns.cname_chain(host, 10, targets.cname_target, [round, target = targets.cname_target](CnameChain chain) {
            round->answer([&](lifecycle::ProbeResults& r) {
                if (chain.status == ProbeStatus::ok || chain.status == ProbeStatus::not_found ||
                    lifecycle::cname_reaches(chain.names, target)) {
                    r.cname_chain = chain.names;
                } else {
                    // First whatever order the answers came in: the walk is the first check.
                    r.ownership_lookup_failures.insert(r.ownership_lookup_failures.begin(), chain.failure);
                }
            });
        });
    }
    if (targets.ownership) {
        dns.txt(ownership_txt_name(host), [round](TxtRecords txt) {
            round->answer([&](lifecycle::ProbeResults& r) {
                r.ownership_txt = values_of(txt);
                if (!r.ownership_txt) r.ownership_lookup_failures.push_back(txt.failure);
            });
        });
        if (ownership_http) {
            http.get(ownership_http_url(host, targets.hostname_id), ownership_user_agent, [round](HttpFetch fetch) {
                round->answer([&](lifecycle::ProbeResults& r) { r.ownership_http_body = body_of(fetch); });
            });
        }
    }
    if (targets.validation) {
        dns.txt(dcv_txt_name(host), [round](TxtRecords txt) {
            round->answer([&](lifecycle::ProbeResults& r) {
                r.dcv_txt = values_of(txt);
                if (!r.dcv_txt) r.dcv_lookup_failures.push_back(txt.failure);
            });
        });
        // Two URLs, one result: a body already found is kept over a failed fetch of the other.
        const auto urls = dcv_http ? std::vector<std::string>{dcv_http_url(host, targets.dcv_token),
                                                              dcv_shown_http_url(host, targets.dcv_token)}
                                   : std::vector<std::string>{};
        for (const auto& url : urls) {
            http.get(url, dcv_user_agent, [round, token = targets.dcv_token](HttpFetch fetch) {
                round->answer([&](lifecycle::ProbeResults& r) {
                    auto body = body_of(fetch);
                    if (body && (!r.dcv_http_body || body->find(token) != std::string::npos)) r.dcv_http_body = body;
                });
            });
        }
    }
}

}  // namespace api
