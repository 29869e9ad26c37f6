#include <nlohmann/json.hpp>
#include "api/emulator/journal_routes.hpp"

#include <charconv>

#include "api/emulator/control_errors.hpp"
#include "api/emulator/journal_stream.hpp"
#include "api/time_text.hpp"
#include "api/envelope.hpp"
#include "api/query.hpp"
#include "api/text.hpp"

namespace api::emulator {
namespace {

std::optional<int> integer_parameter(const Query& query, std::string_view name) {
    auto text = query.get(name);
    if (!text) return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        throw ApiError(invalid_control_request, std::string(name) + " must be a whole number");
    return value;
}

std::optional<TimePoint> time_parameter(const Query& query, std::string_view name) {
    auto text = query.get(name);
    if (!text) return std::nullopt;
    auto t = parse_rfc3339(*text);
    if (!t) throw ApiError(invalid_control_request, std::string(name) + " must be an RFC 3339 time");
    return t;
}

// after=SEQ: a sequence from an entry or a page's next_after (any whole number is accepted: a
// cursor older than the oldest entry kept simply starts at the oldest).
std::uint64_t after_parameter(const Query& query) {
    auto text = query.get("after");
    if (!text) return 0;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        throw ApiError(invalid_control_request, "after must be a whole number (an entry's sequence)");
    return value;
}

std::size_t limit_parameter(const Query& query) {
    auto text = query.get("limit");
    if (!text) return default_journal_limit;
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > max_journal_limit)
        throw ApiError(invalid_control_request,
                       "limit must be a whole number from 1 to " + std::to_string(max_journal_limit));
    return value;
}

JournalFilter filter_of(const Request& request) {
    Query query(request.query);
    JournalFilter filter;
    if (auto method = query.get("method")) {
        filter.method = *method;
        for (auto& c : *filter.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    filter.path_prefix = query.get("path_prefix");
    filter.status = integer_parameter(query, "status");
    filter.code = integer_parameter(query, "code");
    filter.since = time_parameter(query, "since");
    filter.until = time_parameter(query, "until");
    return filter;
}

}  // namespace

void add_journal_routes(Router& router, Journal& journal) {
    router.add(
        "GET", "/_emulator/journal",
        [&journal](const Request& request, Context&) {
            Query query(request.query);
            JournalPage page{filter_of(request), after_parameter(query), limit_parameter(query)};
            Response response;
            response.headers.emplace_back("Content-Type", "application/json");
            response.error_codes.emplace();  // a success: "errors" is empty
            response.stream = journal_stream(journal, std::move(page));
            return response;
        },
        Surface::emulator);
    router.add(
        "DELETE", "/_emulator/journal",
        [&journal](const Request&, Context&) { return success({{"cleared", journal.clear()}}); },
        Surface::emulator);
}

}  // namespace api::emulator
