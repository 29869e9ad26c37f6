// api/time_text.hpp, the one home of time as text: what the API writes reads back exactly (stored
// times resume lifecycle timers after a restart), malformed text is refused, and only instants
// from 1970 to 2199 are accepted.
#include <doctest/doctest.h>

#include <chrono>

#include "api/certificate_upload.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"

using namespace std::chrono;
using namespace std::chrono_literals;

namespace {
const api::TimePoint text_t0 = api::TimePoint{} + 1'800'000'000s;  // 2027-01-15T08:00:00Z
}  // namespace

TEST_CASE("each format writes the text its callers show") {
    CHECK(api::rfc3339_micros(text_t0 + 123456us) == "2027-01-15T08:00:00.123456Z");
    CHECK(api::rfc3339_micros(text_t0) == "2027-01-15T08:00:00.000000Z");
    CHECK(api::rfc3339_seconds(text_t0 + 999ms) == "2027-01-15T08:00:00Z");  // truncated, never rounded up
    CHECK(api::http_date(text_t0 + 999ms) == "Fri, 15 Jan 2027 08:00:00 GMT");
    CHECK(api::rfc3339_seconds(api::from_unix_seconds(0)) == "1970-01-01T00:00:00Z");
    CHECK(api::from_unix_seconds(1'800'000'000) == text_t0);
}

TEST_CASE("what the API writes reads back exactly") {
    for (auto t : {text_t0, text_t0 + 123456us, text_t0 + 1us, api::earliest_instant(), api::latest_instant() - 999ns}) {
        auto micros = floor<microseconds>(t);
        CHECK(api::parse_rfc3339(api::rfc3339_micros(t)) == micros);
        CHECK(api::parse_rfc3339(api::rfc3339_seconds(t)) == floor<seconds>(t));
        CHECK(api::rfc3339_micros(*api::parse_rfc3339(api::rfc3339_micros(t))) == api::rfc3339_micros(t));
    }
    CHECK(api::parse_rfc3339("2026-11-30T10:00:00.12Z") == api::TimePoint(sys_days{2026y / November / 30} + 10h + 120ms));
    CHECK(api::parse_rfc3339("2026-11-30t10:00:00z") == api::TimePoint(sys_days{2026y / November / 30} + 10h));
}

TEST_CASE("malformed text is refused") {
    for (const char* text : {"", "2026", "2026-11-30", "2026-11-30 10:00:00Z", "2026-11-30T10:00:00",
                             "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-30T24:00:00Z",
                             "2026-11-30T10:60:00Z", "2026-11-30T10:00:61Z", "2026-11-30T10:00:00.Z",
                             "2026-11-30T10:00:00ZZ", "2026-11-30T10:00:00+0100", "2026-11-30T10:00:00+01",
                             "2026-11-30T10:00:00 Z", "２０２６-11-30T10:00:00Z", "tomorrow", "-2026-11-30T10:00:00Z"}) {
        INFO(text);
        CHECK_FALSE(api::parse_rfc3339(text));
    }
}

TEST_CASE("only instants from 1970 to 2199 are read, whatever the offset") {
    CHECK(api::parse_rfc3339("1970-01-01T00:00:00Z") == api::earliest_instant());
    CHECK(api::parse_rfc3339("2199-12-31T23:59:59.999999999Z") == api::latest_instant());
    for (const char* text : {"1969-12-31T23:59:59.999999Z", "1970-01-01T00:30:00+01:00", "2200-01-01T00:00:00Z",
                             "2199-12-31T23:30:00-01:00", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"}) {
        INFO(text);
        CHECK_FALSE(api::parse_rfc3339(text));
    }
}

TEST_CASE("a certificate's validity problem names its time in the API's format") {
    crypto::CertificateVerdict verdict;
    verdict.leaf.emplace();
    verdict.leaf->not_before = 1767312000;  // 2026-01-02T00:00:00Z
    verdict.leaf->not_after = 1768435200;   // 2026-01-15T00:00:00Z
    verdict.problem = crypto::CertificateProblem::expired;
    api::describe_validity(verdict);
    CHECK(verdict.detail == "certificate expired at 2026-01-15T00:00:00Z");
    verdict.problem = crypto::CertificateProblem::not_yet_valid;
    api::describe_validity(verdict);
    CHECK(verdict.detail == "certificate is valid from 2026-01-02T00:00:00Z");
    verdict.problem = crypto::CertificateProblem::expires_soon;
    api::describe_validity(verdict);
    CHECK(verdict.detail == "certificate expires at 2026-01-15T00:00:00Z");
    verdict.problem = crypto::CertificateProblem::untrusted;
    verdict.detail = "unable to get local issuer certificate";
    api::describe_validity(verdict);
    CHECK(verdict.detail == "unable to get local issuer certificate");  // others keep crypto/'s text
}
