#include <nlohmann/json.hpp>
#include "api/emulator/journal.hpp"

#include <algorithm>

#include "api/emulator/redaction.hpp"
#include "api/json_body.hpp"

namespace api::emulator {

Journal::Journal(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void Journal::record(JournalEntry entry) {
    // Redact outside the lock: bodies can be large and other requests are waiting to record.
    entry.request_body = redact_body(std::move(entry.request_body));
    entry.response_body = redact_body(std::move(entry.response_body));
    JournalEntry dropped;  // freed after the lock is released: other requests wait on it
    std::lock_guard lock(mutex_);
    entry.sequence = next_sequence_++;
    if (entries_.size() == capacity_) {
        dropped = std::move(entries_.front());
        entries_.pop_front();
    }
    entries_.push_back(std::move(entry));
}

std::vector<JournalEntry> Journal::query(const JournalFilter& filter) const {
    auto matches = [&filter](const JournalEntry& e) {
        if (filter.method && e.method != *filter.method) return false;
        if (filter.path_prefix && !e.path.starts_with(*filter.path_prefix)) return false;
        if (filter.status && e.status != *filter.status) return false;
        if (filter.code && std::find(e.error_codes.begin(), e.error_codes.end(), *filter.code) == e.error_codes.end())
            return false;
        if (filter.since && e.time < *filter.since) return false;
        if (filter.until && e.time > *filter.until) return false;
        return true;
    };
    std::lock_guard lock(mutex_);
    std::vector<JournalEntry> out;
    std::copy_if(entries_.begin(), entries_.end(), std::back_inserter(out), matches);
    return out;
}

std::size_t Journal::clear() {
    std::lock_guard lock(mutex_);
    auto dropped = entries_.size();
    entries_.clear();
    return dropped;
}

std::size_t Journal::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::vector<int> error_codes_of(std::string_view response_body) {
    std::vector<int> codes;
    if (nesting_depth(response_body) > max_body_depth) return codes;
    auto json = nlohmann::json::parse(response_body, nullptr, false);
    if (!json.is_object() || !json.contains("errors") || !json["errors"].is_array()) return codes;
    for (const auto& error : json["errors"])
        if (error.is_object() && error.contains("code") && error["code"].is_number_integer())
            codes.push_back(error["code"].get<int>());
    return codes;
}

nlohmann::json to_json(const JournalEntry& e) {
    // Bodies are echoed as JSON when they are JSON, so a test reads fields without parsing twice.
    auto body = [](const std::string& text) -> nlohmann::json {
        if (text.empty()) return nullptr;
        if (nesting_depth(text) > max_body_depth) return nlohmann::json(text);
        auto json = nlohmann::json::parse(text, nullptr, false);
        return json.is_discarded() ? nlohmann::json(text) : json;
    };
    return {{"sequence", e.sequence},
            {"time", rfc3339_micros(e.time)},
            {"method", e.method},
            {"path", e.path},
            {"query", e.query},
            {"status", e.status},
            {"error_codes", e.error_codes},
            {"duration_ms", static_cast<double>(e.duration.count()) / 1000.0},
            {"credential", e.credential_kind},
            {"request_body", body(e.request_body)},
            {"response_body", body(e.response_body)}};
}

}  // namespace api::emulator
