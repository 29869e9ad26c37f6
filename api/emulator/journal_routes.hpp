#pragma once
// GET /_emulator/journal?method=&path_prefix=&status=&code=&since=&until= and
// DELETE /_emulator/journal.
#include "api/emulator/journal.hpp"
#include "api/router.hpp"

namespace api::emulator {

void add_journal_routes(Router& router, Journal& journal);

}  // namespace api::emulator
