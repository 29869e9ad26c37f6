#include "api/emulator/rate_limit.hpp"

#include <cstdio>

#include "api/envelope.hpp"

namespace api::emulator {

RateLimiter::RateLimiter(RateLimitSettings settings) : settings_(settings) {}

RateLimitSettings RateLimiter::settings() const {
    std::lock_guard lock(mutex_);
    return settings_;
}

bool RateLimiter::enabled() const {
    std::lock_guard lock(mutex_);
    return settings_.enabled;
}

void RateLimiter::configure(RateLimitSettings settings) {
    std::lock_guard lock(mutex_);
    settings_ = settings;
    windows_.clear();
}

void RateLimiter::clear() {
    std::lock_guard lock(mutex_);
    windows_.clear();
}

void RateLimiter::forget_expired(TimePoint now) {
    for (auto it = windows_.begin(); it != windows_.end();)
        it = now - it->second.start >= settings_.window ? windows_.erase(it) : std::next(it);
}

RateLimitDecision RateLimiter::check(const std::string& key, TimePoint now) {
    std::lock_guard lock(mutex_);
    if (windows_.size() > 4096) forget_expired(now);
    auto& window = windows_[key];
    // A window ends after `window`; a clock set backwards also starts a fresh one.
    if (window.used == 0 || now - window.start >= settings_.window || now < window.start) window = Window{now, 0};
    RateLimitDecision decision;
    decision.quota = settings_.quota;
    decision.window_seconds = settings_.window.count();
    decision.allowed = window.used < settings_.quota;
    if (decision.allowed) ++window.used;
    decision.remaining = settings_.quota - window.used;
    auto left = settings_.window - (now - window.start);
    decision.reset_seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
    return decision;
}

std::string credential_key(std::string_view kind, std::string_view secret) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    auto mix = [&hash](std::string_view text) {
        for (unsigned char c : text) {
            hash ^= c;
            hash *= 0x100000001b3ULL;
        }
    };
    mix(kind);
    mix(":");
    mix(secret);
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

HeaderList rate_limit_headers(const RateLimitDecision& d) {
    HeaderList headers{
        {"Ratelimit", "\"default\";r=" + std::to_string(d.remaining) + ";t=" + std::to_string(d.reset_seconds)},
        {"Ratelimit-Policy", "\"default\";q=" + std::to_string(d.quota) + ";w=" + std::to_string(d.window_seconds)},
    };
    if (!d.allowed) headers.emplace_back("Retry-After", std::to_string(d.reset_seconds));
    return headers;
}

Response rate_limited_response(const RateLimitDecision& decision) {
    return failure(ApiError(429, {ErrorItem{971, "Please wait and consider throttling your request speed", {}}},
                            rate_limit_headers(decision)));
}

}  // namespace api::emulator
