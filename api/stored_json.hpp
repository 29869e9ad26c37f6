#pragma once
// JSON text the API keeps in a column (a hostname's custom_metadata and ssl settings, error
// lists) read back with a bound. A seed, a database written by an older binary or one edited by
// hand may hold text the API never wrote: nested 200,000 levels deep (copying or dumping the
// value would recurse once per level and overflow the stack), not JSON at all, or of the wrong
// type. Every read of a stored JSON value in api/ goes through here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/log.hpp"

namespace api {

// What a column holds when the API wrote it.
enum class StoredJson { object, array_of_strings, object_of_strings };

// Why a stored text was not read (empty when it was).
std::string stored_json_problem(std::string_view text, StoredJson kind);

// The parsed value, or nullopt when the text nests deeper than max_body_depth (counted before
// parsing, without recursion), is not JSON, or is not of `kind`. A refused text is reported to
// `log` (when set) as a warning naming `where` (e.g. "custom_hostnames/<id>/ssl_settings") and
// the problem, so an operator can find and repair the row; the caller shows its safe default
// (nothing, {} or []) instead, so one broken row never fails a list or a lookup.
std::optional<nlohmann::json> read_stored_json(std::string_view text, StoredJson kind, const LogSink& log = {},
                                               std::string_view where = {});

// A stored array of strings (an error list) as strings; an unreadable text counts as none (the
// answer that shows the row reports it).
std::vector<std::string> stored_strings(std::string_view text);

}  // namespace api
