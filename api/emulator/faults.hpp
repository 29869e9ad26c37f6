#pragma once
// Fault injection: rules that make matching requests fail, slow down or lose their connection,
// so a test suite can check its client's retry and error paths. Dice come from a seeded
// SplitMix64 (--seed): the same seed and the same requests fire the same faults. Thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/emulator/splitmix.hpp"
#include "api/http_types.hpp"

namespace api::emulator {

struct FaultMatch {
    std::string method = "*";          // "*" or a verb
    std::string path = "/**";          // see path_matches
    std::optional<std::string> zone_id;
};

struct FaultAction {
    enum class Kind { respond, delay, drop };
    Kind kind = Kind::respond;
    int status = 500;                  // respond
    int code = 1500;                   // respond: the Cloudflare error code
    std::string message = "Internal Server Error";
    std::chrono::milliseconds delay{0};  // delay: then the request proceeds normally
};

struct FaultRule {
    std::uint64_t id = 0;              // assigned by FaultRules::add
    FaultMatch match;
    FaultAction action;
    double probability = 1.0;          // 0 < p <= 1
    std::optional<std::int64_t> times; // fires at most this often; nullopt = forever
    std::int64_t fired = 0;
};

// Pattern segments: a literal, "*" or "{name}" (any one segment), or "**" (any number of
// segments, including none). The "/client/v4" prefix is ignored on both sides, so a rule
// written either way matches requests sent either way.
bool path_matches(std::string_view pattern, std::string_view path);

// Rules held at once; one more is refused (400 / 1400) until some are deleted.
inline constexpr std::size_t max_fault_rules = 1000;

class FaultRules {
public:
    explicit FaultRules(std::uint64_t seed);

    // Throws ApiError(invalid_control_request) when max_fault_rules are held already.
    FaultRule add(FaultRule rule);
    bool remove(std::uint64_t id);
    void clear();
    std::vector<FaultRule> list() const;

    // The first rule (in the order added) that matches, has firings left and wins its roll.
    // A rule that loses its roll does not count as fired. `zone_id` empty = not a zone route.
    std::optional<FaultAction> decide(std::string_view method, std::string_view path, std::string_view zone_id);

private:
    mutable std::mutex mutex_;
    std::vector<FaultRule> rules_;
    std::uint64_t next_id_ = 1;
    SplitMix64 dice_;
};

// A rule from the JSON a test posts; throws ApiError(invalid_control_request) naming the field.
//   {"method":"POST","path":"/zones/*/custom_csrs","zone_id":"…",
//    "action":"respond"|"delay"|"drop","status":503,"code":1500,"message":"…","delay_ms":2000,
//    "probability":0.5,"times":3}
FaultRule fault_rule_from_json(const nlohmann::json& body);
nlohmann::json to_json(const FaultRule& rule);

// The answer of a "respond" action, in Cloudflare's envelope.
Response fault_response(const FaultAction& action);

}  // namespace api::emulator
