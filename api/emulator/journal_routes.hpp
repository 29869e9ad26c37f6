#pragma once
// GET /_emulator/journal?method=&path_prefix=&status=&code=&since=&until=&after=&limit= and
// DELETE /_emulator/journal. A GET answers one page, oldest first: `limit` entries at most
// (default 1000, the default journal size, so a default journal reads whole), with sequences
// above `after`; result_info.next_after is the `after` of the next page, null on the last.
#include "api/emulator/journal.hpp"
#include "api/router.hpp"

namespace api::emulator {

inline constexpr std::size_t default_journal_limit = 1000;
inline constexpr std::size_t max_journal_limit = 10000;

void add_journal_routes(Router& router, Journal& journal);

}  // namespace api::emulator
