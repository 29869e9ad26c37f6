#pragma once
// Cloudflare's API rate limit: a quota of requests per window for each credential (1200 per
// 5 minutes when enabled; off by default so test suites are not throttled by surprise).
// A window opens at a credential's first request and lasts `window`; the 429s stop when it ends.
// "now" is passed in, so the control-plane Clock (and its advance) drives the windows.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/time_text.hpp"
#include "api/http_types.hpp"

namespace api::emulator {

struct RateLimitSettings {
    bool enabled = false;
    std::int64_t quota = 1200;
    std::chrono::seconds window{300};
};

struct RateLimitDecision {
    bool allowed = true;
    std::int64_t quota = 0;
    std::int64_t remaining = 0;       // after this request
    std::int64_t reset_seconds = 0;   // until the window ends, rounded up
    std::int64_t window_seconds = 0;
};

class RateLimiter {
public:
    explicit RateLimiter(RateLimitSettings settings = {});

    RateLimitSettings settings() const;
    void configure(RateLimitSettings settings);  // also forgets every window
    bool enabled() const;

    // Counts one request of `key` (see credential_key) at `now`.
    RateLimitDecision check(const std::string& key, TimePoint now);
    void clear();

private:
    struct Window {
        TimePoint start;
        std::int64_t used = 0;
    };
    void forget_expired(TimePoint now);  // keeps the map small with many credentials

    mutable std::mutex mutex_;
    RateLimitSettings settings_;
    std::unordered_map<std::string, Window> windows_;
};

// A stable key for a credential that is not the credential: FNV-1a 64 of "kind:secret" in hex.
// Keys live only in memory and are never shown, so a non-cryptographic hash is enough.
std::string credential_key(std::string_view kind, std::string_view secret);

// `Ratelimit: "default";r=<remaining>;t=<reset>` and `Ratelimit-Policy: "default";q=<quota>;w=<window>`
// on every answer, plus `Retry-After: <reset>` when refused.
HeaderList rate_limit_headers(const RateLimitDecision& decision);

// The 429 Cloudflare answers: code 971 "Please wait and consider throttling your request speed".
Response rate_limited_response(const RateLimitDecision& decision);

}  // namespace api::emulator
