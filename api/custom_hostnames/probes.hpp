#pragma once
// What api/ asks of the outside world to check a hostname in dns mode. The real implementations
// live in server/ (c-ares, Beast) and run on their own thread; tests pass fakes. Every call
// returns at once and completes exactly once, on the prober's thread, never on the caller's.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace api {

// How a lookup or fetch ended. Anything but ok is a failed check, not an empty answer.
enum class ProbeStatus { ok, not_found, failed, timed_out };

struct CnameChain {
    ProbeStatus status = ProbeStatus::failed;
    std::vector<std::string> names;  // the CNAME targets in order, at most `max_hops`
    // When status is failed or timed_out: what the DNS server answered to which query, e.g.
    // "127.0.0.1:5353 answered REFUSED to the CNAME query for hop.acme.io". The names found
    // before the failing hop stay in `names`.
    std::string failure = {};
};

struct TxtRecords {
    ProbeStatus status = ProbeStatus::failed;  // not_found: NXDOMAIN or no TXT records
    std::vector<std::string> values;           // one per record, its strings joined
    std::string failure = {};                  // as CnameChain::failure
};

struct HttpFetch {
    ProbeStatus status = ProbeStatus::failed;  // ok only for a 200 answer
    int http_status = 0;                       // 0 when no answer came
    std::string body;                          // at most `max_body` bytes
};

class DnsProbe {
public:
    virtual ~DnsProbe() = default;
    // Follows CNAMEs from `name` (not included in the result) up to `max_hops`, and no further
    // once the chain reaches `stop_at` (if not empty; case-insensitive, trailing dot ignored):
    // what the target itself points to is the SaaS provider's business, and a server that
    // knows nothing more about it (dnsmasq without upstream answers REFUSED) must not fail a
    // chain that already proved ownership.
    virtual void cname_chain(const std::string& name, int max_hops, const std::string& stop_at,
                             std::function<void(CnameChain)> done) = 0;
    virtual void txt(const std::string& name, std::function<void(TxtRecords)> done) = 0;
    // Whether `name` has an A or AAAA record, CNAMEs followed (a fallback origin must resolve):
    // ok, not_found (neither), or why the lookup failed.
    virtual void has_address(const std::string& name, std::function<void(ProbeStatus)> done) = 0;
};

class HttpProbe {
public:
    virtual ~HttpProbe() = default;
    // GET of an http:// URL; its host is resolved through the same DNS server as DnsProbe.
    // Redirects are not followed. `user_agent` is sent as is.
    virtual void get(const std::string& url, const std::string& user_agent, std::function<void(HttpFetch)> done) = 0;
    static constexpr std::size_t max_body = 64 * 1024;
};

// Cloudflare's ownership fetcher announces itself so (Cloudflare's documentation).
inline constexpr const char* ownership_user_agent = "Cloudflare Custom Hostname Verification";

}  // namespace api
