// The request journal: bounded, queryable, and never holding a private key or a secret.
#include <nlohmann/json.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "api/emulator/journal.hpp"
#include "api/emulator/journal_routes.hpp"
#include "api/emulator/journal_stream.hpp"
#include "api/emulator/redaction.hpp"
#include "support/route_call.hpp"

using namespace std::chrono;
using api::emulator::Journal;
using api::emulator::JournalEntry;

namespace {

const api::TimePoint journal_t0 = sys_days{2027y / January / 1};

JournalEntry entry(std::string method, std::string path, int status, std::string response = "{}",
                   api::TimePoint time = journal_t0) {
    JournalEntry e;
    e.method = std::move(method);
    e.path = std::move(path);
    e.status = status;
    e.response_body = std::move(response);
    e.error_codes = api::emulator::error_codes_of(e.response_body);
    e.time = time;
    return e;
}

const std::string key_pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n";
const std::string cert_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

}  // namespace

TEST_CASE("redaction removes private keys and keeps certificates") {
    using api::emulator::redact_body;
    SUBCASE("a PEM key block in plain text, EC and RSA labels too") {
        auto out = redact_body("before\n" + key_pem + cert_pem +
                               "-----BEGIN EC PRIVATE KEY-----\nAA\n-----END EC PRIVATE KEY-----\nafter");
        CHECK(out.find("MIIEvQ") == std::string::npos);
        CHECK(out.find("\nAA\n") == std::string::npos);
        CHECK(out.find("-----BEGIN CERTIFICATE-----\nMIIB") != std::string::npos);
        CHECK(out.find("before") != std::string::npos);
        CHECK(out.find("after") != std::string::npos);
    }
    SUBCASE("JSON fields private_key, custom_key, *private_key* at any depth") {
        nlohmann::json body = {{"certificate", cert_pem},
                               {"private_key", key_pem},
                               {"ssl", {{"custom_key", "anything"}, {"custom_certificate", cert_pem}}},
                               {"items", {{{"private_key_pem", "x"}}}}};
        auto out = nlohmann::json::parse(redact_body(body.dump()));
        CHECK(out["private_key"] == "[REDACTED]");
        CHECK(out["ssl"]["custom_key"] == "[REDACTED]");
        CHECK(out["items"][0]["private_key_pem"] == "[REDACTED]");
        CHECK(out["certificate"] == cert_pem);
        CHECK(out["ssl"]["custom_certificate"] == cert_pem);
    }
    SUBCASE("a key pasted into another JSON string") {
        auto out = redact_body(nlohmann::json({{"note", "oops " + key_pem}}).dump());
        CHECK(out.find("MIIEvQ") == std::string::npos);
    }
    SUBCASE("an unterminated block is left as sent rather than eating the rest") {
        CHECK(redact_body("-----BEGIN PRIVATE KEY-----\nAB") == "-----BEGIN PRIVATE KEY-----\nAB");
    }
}

TEST_CASE("credential kind names the kind of credential, never the secret") {
    api::Request r;
    CHECK(api::emulator::credential_kind(r) == "none");
    r.headers = {{"Authorization", "Bearer s3cret"}};
    CHECK(api::emulator::credential_kind(r) == "api_token");
    r.headers = {{"X-Auth-Email", "a@b.c"}, {"X-Auth-Key", "k"}};
    CHECK(api::emulator::credential_kind(r) == "api_key");
    r.headers = {{"X-Auth-User-Service-Key", "v1.0-x"}};
    CHECK(api::emulator::credential_kind(r) == "service_key");
}

TEST_CASE("the journal keeps the last N requests, oldest first, redacted") {
    Journal journal({.max_entries = 3});
    for (int i = 0; i < 5; ++i) journal.record(entry("GET", "/zones/z/custom_csrs/" + std::to_string(i), 200));
    auto all = journal.query({});
    REQUIRE(all.size() == 3);
    CHECK(all.front().path == "/zones/z/custom_csrs/2");
    CHECK(all.back().path == "/zones/z/custom_csrs/4");
    CHECK(all.front().sequence == 3);

    auto with_key = entry("POST", "/zones/z/custom_certificates", 200);
    with_key.request_body = nlohmann::json({{"private_key", key_pem}}).dump();
    journal.record(with_key);
    CHECK(journal.query({}).back().request_body.find("MIIEvQ") == std::string::npos);

    CHECK(journal.clear() == 3);
    CHECK(journal.size() == 0);
}

TEST_CASE("journal queries by method, path prefix, status, error code and time") {
    Journal journal;
    journal.record(entry("POST", "/zones/z/custom_csrs", 200, "{}", journal_t0));
    journal.record(entry("GET", "/zones/z/custom_hostnames", 404,
                         R"({"success":false,"errors":[{"code":1436,"message":"x"}]})", journal_t0 + 1min));
    journal.record(entry("DELETE", "/zones/z/custom_csrs/1", 409,
                         R"({"success":false,"errors":[{"code":1420,"message":"x"},{"code":1421,"message":"y"}]})",
                         journal_t0 + 2min));

    auto count = [&journal](auto set) {
        api::emulator::JournalFilter filter;
        set(filter);
        return journal.query(filter).size();
    };
    using F = api::emulator::JournalFilter;
    CHECK(count([](F& f) { f.method = "POST"; }) == 1);
    CHECK(count([](F& f) { f.path_prefix = "/zones/z/custom_csrs"; }) == 2);
    CHECK(count([](F& f) { f.status = 404; }) == 1);
    CHECK(count([](F& f) { f.code = 1421; }) == 1);
    CHECK(count([](F& f) { f.since = journal_t0 + 1min; }) == 2);
    CHECK(count([](F& f) { f.since = journal_t0 + 30s, f.until = journal_t0 + 90s; }) == 1);
    CHECK(count([](F& f) { f.method = "GET", f.status = 200; }) == 0);

    SUBCASE("over HTTP") {
        test_support::RouteFixture f;
        api::emulator::add_journal_routes(f.router, journal);
        auto found = test_support::json_body(f.call("GET", "/_emulator/journal?method=delete&code=1420"));
        REQUIRE(found["result"].size() == 1);
        CHECK(found["result"][0]["path"] == "/zones/z/custom_csrs/1");
        CHECK(found["result"][0]["error_codes"] == nlohmann::json({1420, 1421}));
        CHECK(found["result"][0]["response_body"]["errors"][0]["code"] == 1420);
        CHECK(found["result"][0]["time"] == "2027-01-01T00:02:00.000000Z");
        auto since = f.call("GET", "/_emulator/journal?since=2027-01-01T00:01:00Z&path_prefix=/zones/z/custom_h");
        CHECK(test_support::json_body(since)["result"].size() == 1);
        CHECK(f.call("GET", "/_emulator/journal?status=abc").status == 400);
        CHECK(f.call("GET", "/_emulator/journal?until=yesterday").status == 400);
        CHECK(test_support::json_body(f.call("DELETE", "/_emulator/journal"))["result"]["cleared"] == 3);
        CHECK(test_support::json_body(f.call("GET", "/_emulator/journal"))["result"].empty());
    }
}

namespace {

JournalEntry with_bodies(std::string request_body, std::string response_body = "{}") {
    auto e = entry("POST", "/zones/z/custom_csrs", 400, std::move(response_body));
    e.request_body = std::move(request_body);
    return e;
}

// A route's whole answer, pulled from its stream as the server would, with the largest piece.
struct Pulled {
    nlohmann::json body;
    std::size_t largest_piece = 0;
    std::size_t pieces = 0;
};

Pulled pull(api::BodyStream& stream) {
    Pulled out;
    std::string text, piece;
    while (stream.next(piece)) {
        REQUIRE_FALSE(piece.empty());
        out.largest_piece = std::max(out.largest_piece, piece.size());
        ++out.pieces;
        text += piece;
    }
    out.body = nlohmann::json::parse(text);
    return out;
}

api::Response get_journal(Journal& journal, const std::string& query) {
    api::Router router;
    api::emulator::add_journal_routes(router, journal);
    api::Request request;
    request.method = "GET";
    request.path = "/_emulator/journal";
    request.query = query;
    auto match = router.resolve(request.method, request.path);
    REQUIRE(match.route);
    api::Response response;
    test_support::RouteFixture f;  // for a Context; the journal's routes do not use it
    try {
        match.route->handler(request, f.context, [&](api::Response r) { response = std::move(r); });
    } catch (const api::ApiError& error) {
        return api::failure(error);
    }
    return response;
}

std::vector<std::uint64_t> sequences_of(const nlohmann::json& result) {
    std::vector<std::uint64_t> out;
    for (const auto& e : result) out.push_back(e["sequence"].get<std::uint64_t>());
    return out;
}

}  // namespace

TEST_CASE("the journal's byte budget: oldest entries go first, the newest always stays") {
    // Entries of about 1,000 body bytes each under a budget of about five of them.
    const std::size_t one = api::emulator::journal_cost(with_bodies(std::string(1000, 'x'), "{}"));
    Journal journal({.max_entries = 1000, .max_bytes = 5 * one + one / 2, .max_body_bytes = 64 * 1024});
    for (int i = 0; i < 12; ++i) journal.record(with_bodies(std::string(1000, 'x'), "{}"));
    auto kept = journal.query({});
    REQUIRE(kept.size() == 5);
    CHECK(kept.front().sequence == 8);
    CHECK(kept.back().sequence == 12);
    CHECK(journal.bytes() == 5 * one);
    CHECK(journal.bytes() <= journal.limits().max_bytes);

    SUBCASE("one entry over the whole budget is still kept, alone: a test can read its last request") {
        journal.record(with_bodies(std::string(20 * one, 'y')));
        auto now = journal.query({});
        REQUIRE(now.size() == 1);
        CHECK(now[0].sequence == 13);
    }
    SUBCASE("clear() gives the budget back; sequences go on") {
        CHECK(journal.clear() == 5);
        CHECK(journal.bytes() == 0);
        journal.record(with_bodies("{}"));
        CHECK(journal.query({}).at(0).sequence == 13);
        CHECK(journal.last_sequence() == 13);
    }
    SUBCASE("the count cap (--journal-size) still applies below the budget") {
        Journal small({.max_entries = 2, .max_bytes = 1 << 30});
        for (int i = 0; i < 4; ++i) small.record(with_bodies("{}"));
        CHECK(small.size() == 2);
    }
}

TEST_CASE("a body beyond the per-entry limit is kept cut, marked, with its size as sent") {
    Journal journal({.max_entries = 10, .max_bytes = 1 << 20, .max_body_bytes = 100});
    const std::string big_json = nlohmann::json({{"note", std::string(5000, 'n')}}).dump();
    journal.record(with_bodies(big_json, R"({"success":true})"));
    auto kept = journal.query({}).at(0);
    CHECK(kept.request_body == big_json.substr(0, 100));
    CHECK(kept.request_body.capacity() < 1000);  // the cut copy, not the whole body's buffer
    CHECK(kept.request_body_truncated);
    CHECK(kept.request_body_bytes == big_json.size());
    CHECK_FALSE(kept.response_body_truncated);
    CHECK(kept.response_body_bytes == 16);

    SUBCASE("as JSON: the cut body is a string, the flags and sizes say so; a whole one is still JSON") {
        auto json = api::emulator::to_json(kept);
        CHECK(json["request_body"] == big_json.substr(0, 100));
        CHECK(json["request_body_truncated"] == true);
        CHECK(json["request_body_bytes"] == big_json.size());
        CHECK(json["response_body"] == nlohmann::json({{"success", true}}));
        CHECK(json["response_body_truncated"] == false);
        CHECK(json["response_body_bytes"] == 16);
    }
    SUBCASE("a cut prefix that happens to parse (digits) stays a string") {
        journal.record(with_bodies(std::string(500, '7')));
        auto json = api::emulator::to_json(journal.query({}).back());
        CHECK(json["request_body"] == std::string(100, '7'));
    }
    SUBCASE("the cut falls before a UTF-8 character it would split") {
        std::string text = "a";
        for (int i = 0; i < 100; ++i) text += "\xC3\xA9";  // é, two bytes: byte 100 is inside one
        journal.record(with_bodies(text));
        auto kept_text = journal.query({}).back().request_body;
        CHECK(kept_text.size() == 99);
        CHECK(kept_text == text.substr(0, 99));
    }
    SUBCASE("redaction comes before the cut: a key whose end lies beyond the limit leaves nothing of itself") {
        std::string key = "-----BEGIN PRIVATE KEY-----\n" + std::string(3000, 'K') + "\n-----END PRIVATE KEY-----\n";
        journal.record(with_bodies(nlohmann::json({{"certificate", "c"}, {"private_key", key}}).dump()));
        auto kept_text = journal.query({}).back().request_body;
        CHECK(kept_text.find("KKKK") == std::string::npos);
        CHECK(kept_text.find("BEGIN PRIVATE") == std::string::npos);
        CHECK(kept_text.find("[REDACTED]") != std::string::npos);
    }
    SUBCASE("a limit of 0 keeps no body text, only the sizes") {
        Journal none({.max_body_bytes = 0});
        none.record(with_bodies("{\"a\":1}"));
        auto json = api::emulator::to_json(none.query({}).at(0));
        CHECK(json["request_body"] == "");
        CHECK(json["request_body_truncated"] == true);
        CHECK(json["request_body_bytes"] == 7);
    }
}

TEST_CASE("GET /_emulator/journal pages with limit and after; next_after walks every entry once") {
    Journal journal;
    for (int i = 0; i < 25; ++i)
        journal.record(entry(i % 2 ? "GET" : "POST", "/zones/z/custom_csrs/" + std::to_string(i), 200));

    SUBCASE("without limit: the whole journal (up to 1000), next_after null") {
        auto response = get_journal(journal, "");
        api::read_whole_body(response);
        auto whole = nlohmann::json::parse(response.body);
        CHECK(whole["success"] == true);
        CHECK(whole["errors"].empty());
        CHECK(whole["result"].size() == 25);
        CHECK(whole["result_info"] == nlohmann::json({{"count", 25}, {"limit", 1000}, {"next_after", nullptr}}));
    }
    SUBCASE("limit=10: pages of 10, 10, 5, each entry exactly once, in order") {
        std::vector<std::uint64_t> seen;
        std::string after = "0";
        std::vector<std::size_t> counts;
        for (int page = 0; page < 10; ++page) {
            auto response = get_journal(journal, "limit=10&after=" + after);
            REQUIRE(response.status == 200);
            api::read_whole_body(response);
            auto body = nlohmann::json::parse(response.body);
            auto got = sequences_of(body["result"]);
            seen.insert(seen.end(), got.begin(), got.end());
            counts.push_back(got.size());
            CHECK(body["result_info"]["count"] == got.size());
            if (body["result_info"]["next_after"].is_null()) break;
            CHECK(body["result_info"]["next_after"] == got.back());
            after = std::to_string(body["result_info"]["next_after"].get<std::uint64_t>());
        }
        CHECK(counts == std::vector<std::size_t>{10, 10, 5});
        std::vector<std::uint64_t> all(25);
        for (std::size_t i = 0; i < 25; ++i) all[i] = i + 1;
        CHECK(seen == all);
    }
    SUBCASE("a page that ends exactly at the last entry says there is no next one") {
        auto response = get_journal(journal, "after=20&limit=5");
        api::read_whole_body(response);
        auto body = nlohmann::json::parse(response.body);
        CHECK(sequences_of(body["result"]) == std::vector<std::uint64_t>{21, 22, 23, 24, 25});
        CHECK(body["result_info"]["next_after"].is_null());
    }
    SUBCASE("filters and paging together: next_after skips what the filter leaves out") {
        auto response = get_journal(journal, "method=POST&limit=12");
        api::read_whole_body(response);
        auto body = nlohmann::json::parse(response.body);
        CHECK(body["result"].size() == 12);
        CHECK(body["result_info"]["next_after"] == 23);  // POSTs are the odd sequences
        response = get_journal(journal, "method=POST&limit=12&after=23");
        api::read_whole_body(response);
        body = nlohmann::json::parse(response.body);
        CHECK(sequences_of(body["result"]) == std::vector<std::uint64_t>{25});
        CHECK(body["result_info"]["next_after"].is_null());
    }
    SUBCASE("an after older than the oldest entry kept starts at the oldest; past the newest gives none") {
        Journal small({.max_entries = 3});
        for (int i = 0; i < 6; ++i) small.record(entry("GET", "/x", 200));
        auto response = get_journal(small, "after=1");
        api::read_whole_body(response);
        CHECK(sequences_of(nlohmann::json::parse(response.body)["result"]) == std::vector<std::uint64_t>{4, 5, 6});
        response = get_journal(small, "after=6");
        api::read_whole_body(response);
        CHECK(nlohmann::json::parse(response.body)["result"].empty());
    }
    SUBCASE("1400: limit and after must be whole numbers, limit from 1 to 10000") {
        for (std::string bad : {"limit=0", "limit=10001", "limit=-1", "limit=ten", "after=-1", "after=x", "after=1.5",
                                "after=99999999999999999999999"}) {
            INFO(bad);
            auto response = get_journal(journal, bad);
            CHECK(response.status == 400);
            auto body = nlohmann::json::parse(response.body);
            CHECK(body["errors"][0]["code"] == 1400);
            CHECK(body["result"].is_null());
        }
        CHECK(get_journal(journal, "limit=10000").status == 200);
    }
}

TEST_CASE("the journal's answer is streamed in bounded pieces, not built whole") {
    // 40 entries with 64 KiB bodies (about 2.6 MB) read in batches of 16 entries / 256 KiB: the
    // bodies, not the entry count, end each batch (four entries a piece). Few entries: test code is
    // compiled unoptimised, and parsing megabytes of JSON there costs seconds.
    constexpr int entries = 40;
    Journal journal({.max_entries = 1000, .max_bytes = 64 * 1024 * 1024, .max_body_bytes = 64 * 1024});
    for (int i = 0; i < entries; ++i) journal.record(with_bodies(std::string(100 * 1024, 'b')));
    auto response = get_journal(journal, "");
    REQUIRE(response.stream);
    CHECK(response.body.empty());
    CHECK(response.header("Content-Type") == "application/json");

    auto pulled = pull(*api::emulator::journal_stream(journal, {}, {.entries = 16, .body_bytes = 256 * 1024}));
    CHECK(pulled.body["result"].size() == entries);
    CHECK(pulled.pieces >= entries / 4);
    // A piece holds at most one batch: whatever reaches 256 KiB of bodies, plus one more entry.
    CHECK(pulled.largest_piece < 256 * 1024 + 64 * 1024 + 16 * 1024);
    for (const auto& e : pulled.body["result"]) {
        REQUIRE(e["request_body_truncated"] == true);
        REQUIRE(e["request_body_bytes"] == 100 * 1024);
        REQUIRE(e["request_body"].get<std::string>().size() == 64 * 1024);
    }

    SUBCASE("entries recorded after the answer began are left for the next read") {
        auto stream = api::emulator::journal_stream(journal, {}, {.entries = 16, .body_bytes = 256 * 1024});
        std::string piece;
        REQUIRE(stream->next(piece));
        for (int i = 0; i < 5; ++i) journal.record(with_bodies("{}"));
        std::string text = piece;
        while (stream->next(piece)) text += piece;
        CHECK(nlohmann::json::parse(text)["result"].size() == entries);
    }
    SUBCASE("entries evicted while a slow reader is between pieces are skipped, not read twice") {
        auto stream = api::emulator::journal_stream(journal, {}, {.entries = 16, .body_bytes = 256 * 1024});
        std::string text, piece;
        REQUIRE(stream->next(piece));
        text += piece;
        journal.clear();
        for (int i = 0; i < 5; ++i) journal.record(with_bodies("{}"));  // after the answer began
        while (stream->next(piece)) text += piece;
        auto body = nlohmann::json::parse(text);
        auto seqs = sequences_of(body["result"]);
        CHECK(std::set<std::uint64_t>(seqs.begin(), seqs.end()).size() == seqs.size());
        CHECK(seqs == std::vector<std::uint64_t>{1, 2, 3, 4});  // the first batch (256 KiB), read before the clear
    }
}

TEST_CASE("a filter that matches nothing in a large journal scans it in bounded steps and ends") {
    Journal journal({.max_entries = 20000});
    for (int i = 0; i < 20000; ++i) journal.record(entry("GET", "/a", 200));
    auto batch = journal.read_batch({.method = "POST"}, 0, journal.last_sequence(), 64, 1 << 20);
    CHECK(batch.entries.empty());
    CHECK_FALSE(batch.complete);  // the lock is let go after a bounded scan
    CHECK(batch.scanned_through > 0);
    CHECK(batch.scanned_through < 20000);
    auto pulled = pull(*api::emulator::journal_stream(journal, {.filter = {.method = "POST"}}));
    CHECK(pulled.body["result"].empty());
    CHECK(pulled.body["result_info"]["next_after"].is_null());
}
