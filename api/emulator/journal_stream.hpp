#pragma once
// The answer to GET /_emulator/journal, written a batch of entries at a time: the success
// envelope with one page of entries and, after them, where the next page starts. Each piece is
// made from a bounded copy taken under the journal's lock, so a reader costs a batch of memory
// however large the journal is, and many readers do not multiply the journal.
#include <cstdint>
#include <memory>
#include <string>

#include "api/emulator/journal.hpp"
#include "api/http_types.hpp"

namespace api::emulator {

struct JournalPage {
    JournalFilter filter;
    std::uint64_t after = 0;    // entries with a larger sequence only
    std::size_t limit = 1000;   // entries in this answer at most
};

// Bounds of one piece: entries copied per hold of the lock, and their bodies' bytes.
struct JournalBatchSize {
    std::size_t entries = 64;
    std::size_t body_bytes = 256 * 1024;
};

// {"errors":[],"messages":[],"result":[ENTRY,…],"result_info":{"count":N,"limit":L,
// "next_after":SEQ|null},"success":true}: entries up to the newest one recorded when the stream
// was made (a reader of a busy journal finishes), next_after set when more matching entries
// follow this page.
std::shared_ptr<BodyStream> journal_stream(const Journal& journal, JournalPage page, JournalBatchSize batch = {});

}  // namespace api::emulator
