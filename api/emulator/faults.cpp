#include <nlohmann/json.hpp>
#include "api/emulator/faults.hpp"

#include <algorithm>

#include "api/emulator/control_errors.hpp"
#include "api/envelope.hpp"
#include "api/router.hpp"

namespace api::emulator {
namespace {

std::vector<std::string_view> segments_of(std::string_view path) {
    if (path.starts_with(Router::cloudflare_prefix) &&
        (path.size() == Router::cloudflare_prefix.size() || path[Router::cloudflare_prefix.size()] == '/'))
        path.remove_prefix(Router::cloudflare_prefix.size());
    std::vector<std::string_view> out;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        path.remove_prefix(slash == std::string_view::npos ? path.size() : slash);
    }
    return out;
}

bool match_from(const std::vector<std::string_view>& pattern, std::size_t p, const std::vector<std::string_view>& path,
                std::size_t s) {
    if (p == pattern.size()) return s == path.size();
    if (pattern[p] == "**") {
        for (std::size_t skip = s; skip <= path.size(); ++skip)
            if (match_from(pattern, p + 1, path, skip)) return true;
        return false;
    }
    if (s == path.size()) return false;
    bool any = pattern[p] == "*" || (pattern[p].starts_with('{') && pattern[p].ends_with('}'));
    return (any || pattern[p] == path[s]) && match_from(pattern, p + 1, path, s + 1);
}

const char* kind_name(FaultAction::Kind kind) {
    switch (kind) {
        case FaultAction::Kind::respond: return "respond";
        case FaultAction::Kind::delay: return "delay";
        case FaultAction::Kind::drop: return "drop";
    }
    return "respond";
}

[[noreturn]] void bad(const std::string& message) { throw ApiError(invalid_control_request, message); }

std::string text_of(const nlohmann::json& body, const char* key, std::string fallback) {
    if (!body.contains(key) || body[key].is_null()) return fallback;
    if (!body[key].is_string() || body[key].get_ref<const std::string&>().empty())
        bad(std::string(key) + " must be a non-empty string");
    return body[key].get<std::string>();
}

std::int64_t integer_of(const nlohmann::json& body, const char* key, std::int64_t fallback, std::int64_t min,
                        std::int64_t max) {
    if (!body.contains(key) || body[key].is_null()) return fallback;
    if (!body[key].is_number_integer() || body[key].get<std::int64_t>() < min || body[key].get<std::int64_t>() > max)
        bad(std::string(key) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return body[key].get<std::int64_t>();
}

}  // namespace

bool path_matches(std::string_view pattern, std::string_view path) {
    return match_from(segments_of(pattern), 0, segments_of(path), 0);
}

FaultRules::FaultRules(std::uint64_t seed) : dice_(seed) {}

FaultRule FaultRules::add(FaultRule rule) {
    std::lock_guard lock(mutex_);
    // Every request walks the rules under this lock: an unbounded list would slow them all.
    if (rules_.size() >= max_fault_rules)
        bad("at most " + std::to_string(max_fault_rules) +
            " fault rules at once: delete some first (DELETE /_emulator/faults/{id}, or DELETE /_emulator/faults for all)");
    rule.id = next_id_++;
    rule.fired = 0;
    rules_.push_back(rule);
    return rule;
}

bool FaultRules::remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    return std::erase_if(rules_, [id](const FaultRule& r) { return r.id == id; }) > 0;
}

void FaultRules::clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
}

std::vector<FaultRule> FaultRules::list() const {
    std::lock_guard lock(mutex_);
    return rules_;
}

std::optional<FaultAction> FaultRules::decide(std::string_view method, std::string_view path,
                                              std::string_view zone_id) {
    std::lock_guard lock(mutex_);
    for (auto& rule : rules_) {
        if (rule.times && rule.fired >= *rule.times) continue;
        if (rule.match.method != "*" && rule.match.method != method) continue;
        if (rule.match.zone_id && *rule.match.zone_id != zone_id) continue;
        if (!path_matches(rule.match.path, path)) continue;
        // Roll only for uncertain rules, so adding a certain rule does not shift the sequence
        // the seeded dice give the others.
        if (rule.probability < 1.0 && dice_.next_unit() >= rule.probability) continue;
        ++rule.fired;
        return rule.action;
    }
    return std::nullopt;
}

FaultRule fault_rule_from_json(const nlohmann::json& body) {
    if (!body.is_object()) bad("send a JSON object");
    static constexpr const char* known[] = {"method", "path", "zone_id", "action", "status", "code",
                                            "message", "delay_ms", "probability", "times"};
    for (const auto& item : body.items()) {
        // A plain variable, not a structured binding: clang before 16 (the fuzz build's clang-14)
        // cannot capture a binding in a lambda.
        const std::string& key = item.key();
        if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return key == k; }) == std::end(known))
            bad("unknown field " + key);
    }
    FaultRule rule;
    rule.match.method = text_of(body, "method", "*");
    for (auto& c : rule.match.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    rule.match.path = text_of(body, "path", "/**");
    if (rule.match.path.front() != '/') bad("path must start with /");
    // Faults apply to Cloudflare's routes only; a rule on the control plane could never fire.
    if (auto segments = segments_of(rule.match.path); !segments.empty() && segments.front() == "_emulator")
        bad("path " + rule.match.path + " is on the control plane (/_emulator/), which faults never touch; "
            "name a Cloudflare route such as /zones/*/custom_hostnames");
    if (body.contains("zone_id") && !body["zone_id"].is_null()) rule.match.zone_id = text_of(body, "zone_id", "");
    auto kind = text_of(body, "action", "respond");
    if (kind == "respond") {
        rule.action.kind = FaultAction::Kind::respond;
        rule.action.status = static_cast<int>(integer_of(body, "status", 500, 400, 599));
        rule.action.code = static_cast<int>(integer_of(body, "code", 1500, 0, 99'999'999));
        rule.action.message = text_of(body, "message", "Internal Server Error");
    } else if (kind == "delay") {
        rule.action.kind = FaultAction::Kind::delay;
        if (!body.contains("delay_ms")) bad("a delay needs delay_ms");
        rule.action.delay = std::chrono::milliseconds(integer_of(body, "delay_ms", 0, 1, 600'000));
    } else if (kind == "drop") {
        rule.action.kind = FaultAction::Kind::drop;
    } else {
        bad("action must be respond, delay or drop");
    }
    if (body.contains("probability") && !body["probability"].is_null()) {
        if (!body["probability"].is_number() || body["probability"].get<double>() <= 0.0 ||
            body["probability"].get<double>() > 1.0)
            bad("probability must be a number above 0 and at most 1");
        rule.probability = body["probability"].get<double>();
    }
    if (body.contains("times") && !body["times"].is_null()) rule.times = integer_of(body, "times", 1, 1, 1'000'000'000);
    return rule;
}

nlohmann::json to_json(const FaultRule& rule) {
    nlohmann::json out = {{"id", rule.id},
                          {"method", rule.match.method},
                          {"path", rule.match.path},
                          {"zone_id", rule.match.zone_id ? nlohmann::json(*rule.match.zone_id) : nlohmann::json()},
                          {"action", kind_name(rule.action.kind)},
                          {"probability", rule.probability},
                          {"times", rule.times ? nlohmann::json(*rule.times) : nlohmann::json()},
                          {"fired", rule.fired}};
    if (rule.action.kind == FaultAction::Kind::respond) {
        out["status"] = rule.action.status;
        out["code"] = rule.action.code;
        out["message"] = rule.action.message;
    } else if (rule.action.kind == FaultAction::Kind::delay) {
        out["delay_ms"] = rule.action.delay.count();
    }
    return out;
}

Response fault_response(const FaultAction& action) {
    return failure(ApiError(action.status, {ErrorItem{action.code, action.message, {}}}));
}

}  // namespace api::emulator
