#include <nlohmann/json.hpp>
#include "api/emulator/journal.hpp"

#include <algorithm>

#include "api/emulator/redaction.hpp"
#include "api/json_body.hpp"

namespace api::emulator {
namespace {

// How many entries one hold of the lock looks at, matching or not: a filter that matches little
// in a large journal must not keep recording requests waiting for one long scan.
constexpr std::size_t max_scan_per_lock = 4096;

// The first `limit` bytes of a body, cut back to a whole UTF-8 character so the kept part does
// not end in a broken one. A fresh string: a shortened one would keep the whole body's capacity.
std::string first_bytes(const std::string& body, std::size_t limit) {
    std::size_t end = limit;
    // Step back over continuation bytes (10xxxxxx), to the start of the character cut in two.
    std::size_t steps = 0;
    while (end > 0 && steps < 4 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end, ++steps;
    if (steps == 4) end = limit;  // not UTF-8 after all: cut where the limit says
    return std::string(body.data(), end);
}

// Redacts first, then cuts: a cut made first could keep the start of a private key whose end
// (what redaction looks for) fell beyond the limit.
std::string kept_body(std::string body, std::size_t limit, bool& truncated) {
    body = redact_body(std::move(body));
    truncated = body.size() > limit;
    if (truncated) body = first_bytes(body, limit);
    return body;
}

// Index of the first entry with a sequence above `after` (entries are in sequence order).
template <typename Entries>
std::size_t first_after(const Entries& entries, std::uint64_t after) {
    auto it = std::upper_bound(entries.begin(), entries.end(), after,
                               [](std::uint64_t value, const JournalEntry& e) { return value < e.sequence; });
    return static_cast<std::size_t>(it - entries.begin());
}

JournalLimits at_least_one_entry(JournalLimits limits) {
    limits.max_entries = std::max<std::size_t>(limits.max_entries, 1);
    return limits;
}

}  // namespace

bool JournalFilter::matches(const JournalEntry& e) const {
    if (method && e.method != *method) return false;
    if (path_prefix && !e.path.starts_with(*path_prefix)) return false;
    if (status && e.status != *status) return false;
    if (code && std::find(e.error_codes.begin(), e.error_codes.end(), *code) == e.error_codes.end()) return false;
    if (since && e.time < *since) return false;
    if (until && e.time > *until) return false;
    return true;
}

std::size_t journal_cost(const JournalEntry& e) {
    return sizeof(JournalEntry) + e.method.size() + e.path.size() + e.query.size() + e.credential_kind.size() +
           e.request_body.size() + e.response_body.size() + e.error_codes.size() * sizeof(int);
}

Journal::Journal(JournalLimits limits) : limits_(at_least_one_entry(limits)) {}

void Journal::record(JournalEntry entry) {
    // Redact and cut outside the lock: bodies can be large and other requests are waiting to record.
    entry.request_body_bytes = entry.request_body.size();
    entry.response_body_bytes = entry.response_body.size();
    entry.request_body = kept_body(std::move(entry.request_body), limits_.max_body_bytes, entry.request_body_truncated);
    entry.response_body =
        kept_body(std::move(entry.response_body), limits_.max_body_bytes, entry.response_body_truncated);
    const std::size_t cost = journal_cost(entry);
    std::vector<JournalEntry> dropped;  // freed after the lock is released: other requests wait on it
    std::lock_guard lock(mutex_);
    entry.sequence = next_sequence_++;
    entries_.push_back(std::move(entry));
    bytes_ += cost;
    while (entries_.size() > limits_.max_entries || (bytes_ > limits_.max_bytes && entries_.size() > 1)) {
        bytes_ -= journal_cost(entries_.front());
        dropped.push_back(std::move(entries_.front()));
        entries_.pop_front();
    }
}

std::vector<JournalEntry> Journal::query(const JournalFilter& filter) const {
    std::lock_guard lock(mutex_);
    std::vector<JournalEntry> out;
    std::copy_if(entries_.begin(), entries_.end(), std::back_inserter(out),
                 [&filter](const JournalEntry& e) { return filter.matches(e); });
    return out;
}

JournalBatch Journal::read_batch(const JournalFilter& filter, std::uint64_t after, std::uint64_t up_to,
                                 std::size_t max_entries, std::size_t max_bytes) const {
    JournalBatch batch;
    batch.scanned_through = after;
    std::size_t copied_bytes = 0;
    std::lock_guard lock(mutex_);
    std::size_t scanned = 0;
    for (std::size_t i = first_after(entries_, after); i < entries_.size(); ++i) {
        const JournalEntry& e = entries_[i];
        if (e.sequence > up_to) break;
        if (batch.entries.size() >= max_entries || copied_bytes >= max_bytes || scanned >= max_scan_per_lock)
            return batch;  // more may follow: the caller asks again after scanned_through
        ++scanned;
        batch.scanned_through = e.sequence;
        if (!filter.matches(e)) continue;
        batch.entries.push_back(e);
        copied_bytes += e.request_body.size() + e.response_body.size();
    }
    batch.scanned_through = std::max(batch.scanned_through, up_to);
    batch.complete = true;
    return batch;
}

bool Journal::any_match(const JournalFilter& filter, std::uint64_t after, std::uint64_t up_to) const {
    std::lock_guard lock(mutex_);
    for (std::size_t i = first_after(entries_, after); i < entries_.size() && entries_[i].sequence <= up_to; ++i)
        if (filter.matches(entries_[i])) return true;
    return false;
}

std::uint64_t Journal::last_sequence() const {
    std::lock_guard lock(mutex_);
    return next_sequence_ - 1;
}

std::size_t Journal::clear() {
    std::deque<JournalEntry> dropped;  // freed after the lock is released
    std::lock_guard lock(mutex_);
    dropped.swap(entries_);
    bytes_ = 0;
    return dropped.size();
}

std::size_t Journal::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t Journal::bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
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
    // A cut body is always a string: its first bytes could happen to parse as something else.
    auto body = [](const std::string& text, bool truncated) -> nlohmann::json {
        if (text.empty() && !truncated) return nullptr;
        if (truncated || nesting_depth(text) > max_body_depth) return nlohmann::json(text);
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
            {"request_body", body(e.request_body, e.request_body_truncated)},
            {"request_body_bytes", e.request_body_bytes},
            {"request_body_truncated", e.request_body_truncated},
            {"response_body", body(e.response_body, e.response_body_truncated)},
            {"response_body_bytes", e.response_body_bytes},
            {"response_body_truncated", e.response_body_truncated}};
}

}  // namespace api::emulator
