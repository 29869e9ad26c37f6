#pragma once
// The request journal: a bounded ring of the last requests, so a test can ask "what did my
// client actually send, and what did it get back?". Thread-safe. Bounded three ways: a count of
// entries (--journal-size), a byte budget for all of them (--journal-bytes, oldest evicted) and
// a limit per body (--journal-body-limit, the rest cut off and the entry marked), so a client
// sending large bodies cannot grow the emulator beside the code under test.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/time_text.hpp"

namespace api::emulator {

struct JournalEntry {
    std::uint64_t sequence = 0;            // assigned by record(), grows by one per request
    TimePoint time;                        // when the request arrived (the emulator's clock)
    std::string method, path, query;
    int status = 0;
    std::vector<int> error_codes;          // Cloudflare codes of the answer's "errors"
    std::chrono::microseconds duration{0};
    std::string credential_kind;           // redaction.hpp: never the secret
    std::string request_body, response_body;  // redacted, then cut at the body limit, by record()
    // Set by record(): each body's size as it went over the wire, and whether what is kept is
    // only its first body-limit bytes.
    std::size_t request_body_bytes = 0, response_body_bytes = 0;
    bool request_body_truncated = false, response_body_truncated = false;
};

struct JournalFilter {
    std::optional<std::string> method = {};
    std::optional<std::string> path_prefix = {};
    std::optional<int> status = {};
    std::optional<int> code = {};                       // any of the entry's error codes
    std::optional<TimePoint> since = {}, until = {};  // inclusive

    bool matches(const JournalEntry& entry) const;
};

struct JournalLimits {
    std::size_t max_entries = 1000;                  // --journal-size
    std::size_t max_bytes = 64 * 1024 * 1024;        // --journal-bytes: all entries together
    std::size_t max_body_bytes = 64 * 1024;          // --journal-body-limit: each body
};

// Entries read in one hold of the journal's lock (read_batch), and where the scan stopped.
struct JournalBatch {
    std::vector<JournalEntry> entries;     // matching ones, oldest first
    std::uint64_t scanned_through = 0;     // the next batch starts after this sequence
    bool complete = false;                 // nothing is left up to the batch's `up_to`
};

class Journal {
public:
    explicit Journal(JournalLimits limits = {});

    // Redacts both bodies, cuts them at the body limit, numbers the entry and drops the oldest
    // ones beyond the count or the byte budget (the newest entry always stays).
    void record(JournalEntry entry);
    // Every matching entry, oldest first (a copy: for tests and small journals; the journal's
    // route reads with read_batch instead).
    std::vector<JournalEntry> query(const JournalFilter& filter) const;
    // Matching entries with a sequence in (after, up_to], oldest first: up to `max_entries`, and
    // stopping once their bodies reach `max_bytes`, so a reader holds a bounded copy however
    // large the journal is. The lock is held for one bounded scan only.
    JournalBatch read_batch(const JournalFilter& filter, std::uint64_t after, std::uint64_t up_to,
                            std::size_t max_entries, std::size_t max_bytes) const;
    // Whether any entry with a sequence in (after, up_to] matches (without copying it).
    bool any_match(const JournalFilter& filter, std::uint64_t after, std::uint64_t up_to) const;
    // The sequence of the newest entry recorded so far (0 before the first): sequences go on
    // across clear() and eviction, so a cursor stays meaningful.
    std::uint64_t last_sequence() const;
    // Returns how many entries were dropped.
    std::size_t clear();
    std::size_t size() const;
    std::size_t bytes() const;  // what the entries cost, as the budget counts it
    std::size_t capacity() const noexcept { return limits_.max_entries; }
    const JournalLimits& limits() const noexcept { return limits_; }

private:
    const JournalLimits limits_;
    mutable std::mutex mutex_;
    std::deque<JournalEntry> entries_;
    std::size_t bytes_ = 0;
    std::uint64_t next_sequence_ = 1;
};

// What an entry costs against the byte budget: its strings' bytes and a fixed overhead.
std::size_t journal_cost(const JournalEntry& entry);

// The codes in a response body's "errors" array (empty for success or non-JSON bodies).
std::vector<int> error_codes_of(std::string_view response_body);

nlohmann::json to_json(const JournalEntry& entry);

}  // namespace api::emulator
