#pragma once
// The request journal: a bounded ring of the last N requests (default 1000), so a test can ask
// "what did my client actually send, and what did it get back?". Thread-safe.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/time_format.hpp"

namespace api::emulator {

struct JournalEntry {
    std::uint64_t sequence = 0;            // assigned by record(), grows by one per request
    TimePoint time;                        // when the request arrived (the emulator's clock)
    std::string method, path, query;
    int status = 0;
    std::vector<int> error_codes;          // Cloudflare codes of the answer's "errors"
    std::chrono::microseconds duration{0};
    std::string credential_kind;           // redaction.hpp: never the secret
    std::string request_body, response_body;  // redacted by record()
};

struct JournalFilter {
    std::optional<std::string> method;
    std::optional<std::string> path_prefix;
    std::optional<int> status;
    std::optional<int> code;               // any of the entry's error codes
    std::optional<TimePoint> since, until;  // inclusive
};

class Journal {
public:
    explicit Journal(std::size_t capacity = 1000);

    // Redacts both bodies, numbers the entry and drops the oldest when full.
    void record(JournalEntry entry);
    // Oldest first.
    std::vector<JournalEntry> query(const JournalFilter& filter) const;
    // Returns how many entries were dropped.
    std::size_t clear();
    std::size_t size() const;
    std::size_t capacity() const noexcept { return capacity_; }

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<JournalEntry> entries_;
    std::uint64_t next_sequence_ = 1;
};

// The codes in a response body's "errors" array (empty for success or non-JSON bodies).
std::vector<int> error_codes_of(std::string_view response_body);

nlohmann::json to_json(const JournalEntry& entry);

}  // namespace api::emulator
