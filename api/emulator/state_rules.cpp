#include "api/emulator/state_rules.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/custom_csrs/request.hpp"
#include "api/custom_hostnames/lifecycle.hpp"
#include "api/custom_hostnames/request.hpp"
#include "api/certificate_upload.hpp"
#include "api/time_text.hpp"
#include "api/emulator/control_errors.hpp"
#include "api/identifiers.hpp"
#include "api/name_rules.hpp"
#include "api/stored_json.hpp"
#include "api/text.hpp"
#include "api/zones/zone_names.hpp"
#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"

namespace api::emulator {
namespace {

using storage::TableRows;
using storage::Value;

// One row of one table, with the document's JSON pointer of each of its fields.
class Row {
public:
    Row(const TableRows& table, std::size_t index) : table_(table), index_(index) {}

    std::string at(std::string_view column) const {
        return "/" + table_.table + "/" + std::to_string(index_) + "/" + std::string(column);
    }
    std::optional<std::string> text(std::string_view column) const {
        const Value* v = value(column);
        auto* s = v ? std::get_if<std::string>(v) : nullptr;
        return s ? std::optional(*s) : std::nullopt;
    }
    std::optional<std::int64_t> integer(std::string_view column) const {
        const Value* v = value(column);
        auto* n = v ? std::get_if<std::int64_t>(v) : nullptr;
        return n ? std::optional(*n) : std::nullopt;
    }
    // A NOT NULL column (read_state_document made sure it is there), or "" if the schema changed.
    std::string str(std::string_view column) const { return text(column).value_or(""); }
    bool has(std::string_view column) const {
        const Value* v = value(column);
        return v && !std::holds_alternative<std::monostate>(*v);
    }
    std::size_t index() const { return index_; }

private:
    const Value* value(std::string_view column) const {
        auto it = std::find(table_.columns.begin(), table_.columns.end(), column);
        if (it == table_.columns.end()) return nullptr;
        return &table_.rows[index_][static_cast<std::size_t>(it - table_.columns.begin())];
    }
    const TableRows& table_;
    std::size_t index_;
};

// ---- checks of one value, each naming what the API would have stored ----

// Times as the API writes them: fixed width (lists sort them as text), UTC, and well inside the
// range a TimePoint holds (nanoseconds since 1970 end in 2262), so timers can add to them.
enum class TimeFormat { micros, seconds };

void check_time(const Row& row, std::string_view column, TimeFormat format) {
    auto text = row.text(column);
    if (!text) return;
    const char* shape = format == TimeFormat::micros ? "YYYY-MM-DDTHH:MM:SS.ffffffZ" : "YYYY-MM-DDTHH:MM:SSZ";
    // The year first: past 2262 the parse itself would overflow a TimePoint.
    bool digits = text->size() >= 4 && std::all_of(text->begin(), text->begin() + 4,
                                                   [](char c) { return c >= '0' && c <= '9'; });
    int year = digits ? std::stoi(text->substr(0, 4)) : -1;
    if (year >= 0 && (year < 1970 || year > 2199))
        refuse_at(row.at(column), "must be between 1970-01-01 and 2199-12-31");
    auto time = parse_rfc3339(*text);
    // Written back the same only when it is in the column's own format (no leap second either).
    bool exact = time && (format == TimeFormat::micros ? rfc3339_micros(*time) : rfc3339_seconds(*time)) == *text;
    if (!exact) refuse_at(row.at(column), "must be a UTC time written " + std::string(shape));
}

void check_one_of(const Row& row, std::string_view column, const std::vector<std::string_view>& allowed) {
    auto text = row.text(column);
    if (!text || std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return;
    std::string list;
    for (auto value : allowed) list += (list.empty() ? "" : ", ") + std::string(value);
    refuse_at(row.at(column), "must be one of " + list);
}

void check_range(const Row& row, std::string_view column, std::int64_t min, std::int64_t max, const char* why) {
    auto n = row.integer(column);
    if (n && (*n < min || *n > max)) refuse_at(row.at(column), why);
}

// Every id the emulator hands out is a UUID; its routes refuse any other id.
void check_uuid(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (text && !is_uuid(*text)) refuse_at(row.at(column), "must be a UUID (8-4-4-4-12 hexadecimal digits)");
}

// A zone or account id is a path segment of every route that reaches the row.
void check_scope_id(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (!text) return;
    bool routable = !text->empty() && text->size() <= 255 && std::all_of(text->begin(), text->end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte > 0x20 && byte < 0x7f && c != '/' && c != '?' && c != '#' && c != '%';
    });
    if (!routable)
        refuse_at(row.at(column), "must be an id a route can carry (1-255 printable characters, no / ? # %)");
}

void check_not_empty(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (text && text->empty()) refuse_at(row.at(column), "must not be empty");
}

void check_json(const Row& row, std::string_view column, StoredJson kind) {
    auto text = row.text(column);
    if (!text) return;
    if (auto problem = stored_json_problem(*text, kind); !problem.empty()) {
        const char* wanted = kind == StoredJson::object             ? "a JSON object"
                             : kind == StoredJson::object_of_strings ? "a JSON object of strings"
                                                                    : "a JSON array of strings";
        refuse_at(row.at(column), "must be the text of " + std::string(wanted) + ": " + problem);
    }
}

const char* name_problem(NameProblem problem) {
    switch (problem) {
        case NameProblem::none: return "";
        case NameProblem::invalid: return "invalid";
        case NameProblem::non_ascii: return "not ASCII (send punycode)";
        case NameProblem::reserved_tld: return "under a reserved top-level domain";
        case NameProblem::unparsable: return "not under a known public suffix";
        case NameProblem::example_domain: return "an example domain";
    }
    return "invalid";
}

// A DNS name as the API stores it: accepted by its name rules (api/name_rules.hpp), and in
// lowercase where the API lowers it (hostnames and origins; a CSR keeps its SANs as sent).
enum class Case { lowered, as_sent };
void check_name(const std::string& pointer, const std::string& name, const char* what, Case letters = Case::lowered,
                NameRules rules = {}) {
    auto check = check_dns_name(name, rules);
    if (check.problem != NameProblem::none)
        refuse_at(pointer, std::string("the API refuses this ") + what + ": " + name_problem(check.problem) +
                            (check.reason.empty() ? "" : " (" + check.reason + ")"));
    if (letters == Case::lowered && lowercase(name) != name) refuse_at(pointer, std::string("the API stores a ") + what + " in lowercase");
}

// custom_origin_server (and custom_origin_sni): a name without a wildcard.
void check_origin(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (!text) return;
    if (text->find('*') != std::string::npos) refuse_at(row.at(column), "the API refuses a wildcard origin");
    check_name(row.at(column), *text, "origin name", Case::lowered, NameRules{.allow_wildcard = false});
}

void check_printable(const Row& row, std::string_view column, std::size_t max) {
    auto text = row.text(column);
    if (!text) return;
    if (text->empty()) refuse_at(row.at(column), "must not be empty");
    if (text->size() > max) refuse_at(row.at(column), "must be at most " + std::to_string(max) + " characters");
    for (char c : *text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) refuse_at(row.at(column), "must not contain control characters");
}

// ---- certificates and keys (crypto/) ----

// The public key of a private key PEM, or the refusal naming `column`.
std::string public_key(const Row& row, std::string_view column) {
    try {
        return crypto::public_key_of_private_key(row.str(column));
    } catch (const crypto::Error& e) {
        refuse_at(row.at(column), std::string("not a readable private key: ") + e.what());
    }
}

// The chain in `chain_column` holds one leaf, and (when given) that leaf carries
// `expected_public_key`. Time, trust and the upload's size rules are not checked again: a
// snapshot outlives its certificates' validity and may come from an emulator with another test
// CA. crypto::check_certificate judges at one instant, so the first pass only finds the leaf
// (any instant before it is valid), the second (when the key's text differs) asks about the key
// at its notBefore.
void check_chain(const Row& row, std::string_view chain_column, const std::optional<std::string>& expected_public_key,
                 std::string_view key_column) {
    static const crypto::TrustStore no_roots;
    crypto::CertificateCheck check;
    auto chain = row.str(chain_column);
    check.chain_pem = chain;
    check.skip_trust = true;
    check.now = INT64_MIN;
    auto verdict = crypto::check_certificate(check, no_roots);
    if (!verdict.leaf || verdict.problem == crypto::CertificateProblem::unsupported_signature)
        refuse_at(row.at(chain_column), "not a certificate chain the API would have stored (" +
                                            (verdict.detail.empty() ? std::string("no certificate") : verdict.detail) +
                                            ")");
    if (!expected_public_key) return;
    // Equal SPKI text is the same key (both are OpenSSL's encoding of it); only a difference needs
    // the key comparison itself, which is what the API's upload check does.
    if (verdict.leaf->public_key_pem == *expected_public_key) return;
    check.now = verdict.leaf->not_before;
    check.expected_public_key_pem = expected_public_key;
    verdict = crypto::check_certificate(check, no_roots);
    describe_validity(verdict);  // a notAfter before its notBefore is "expired"
    if (verdict.problem == crypto::CertificateProblem::key_mismatch)
        refuse_at(row.at(key_column),
                  "does not match the public key of " + std::string(chain_column) + "'s certificate");
    if (verdict.problem != crypto::CertificateProblem::none)
        refuse_at(row.at(chain_column), "not a certificate the API would have stored (" + verdict.detail + ")");
}

// ---- what each column must hold: one row per column the rules know ----

enum class Kind {
    uuid,                   // every id the emulator hands out (its routes refuse any other)
    routable_id,            // a zone or account id
    time_micros,            // created_at and the lifecycle's times
    time_seconds,           // certificate times and upload times
    count,                  // a failed-check count: 0 to INT32_MAX (the lifecycle counts in int)
    flag,                   // 0 or 1
    priority,               // +-(2^53 - 1)
    one_of,                 // one of `allowed`
    json_object,            // JSON text, bounded
    json_object_of_strings,
    json_array_of_strings,
    hostname,               // the API's hostname rules, lowercase
    origin,                 // the API's origin rules (no wildcard), lowercase
    origin_sni,             // an origin name or ":request_host_header:"
    not_empty,
    printable,              // a CSR subject field: 1 to `max` characters, no control character
    country,                // two letters
    ownership_status,       // lifecycle::Ownership
    certificate_status,     // lifecycle::Certificate
    object_id,              // a zone's or account's id: 32 lower-case hex digits
    zone_name,              // POST /zones's name rule, lower case
    serial                  // an Origin CA certificate id: a decimal serial, at most 49 digits
};

struct ColumnRule {
    std::string_view table, column;
    Kind kind;
    std::vector<std::string_view> allowed = {};
    std::size_t max = 0;
};

const std::vector<ColumnRule>& column_rules() {
    static const std::vector<ColumnRule> rules = {
        {"custom_csrs", "id", Kind::uuid},
        {"custom_csrs", "scope", Kind::one_of, {"zone", "account"}},
        {"custom_csrs", "scope_id", Kind::routable_id},
        {"custom_csrs", "created_at", Kind::time_micros},
        {"custom_csrs", "key_type", Kind::one_of, {"rsa2048", "p256v1"}},
        // The API's subject rules (api/custom_csrs/request.cpp); it stores an empty OU as null.
        {"custom_csrs", "country", Kind::country},
        {"custom_csrs", "state", Kind::printable, {}, 128},
        {"custom_csrs", "locality", Kind::printable, {}, 128},
        {"custom_csrs", "organization", Kind::printable, {}, 64},
        {"custom_csrs", "organizational_unit", Kind::printable, {}, 64},
        {"custom_csrs", "common_name", Kind::printable, {}, max_common_name},

        {"custom_hostnames", "id", Kind::uuid},
        {"custom_hostnames", "zone_id", Kind::routable_id},
        {"custom_hostnames", "hostname", Kind::hostname},
        {"custom_hostnames", "status", Kind::ownership_status},
        {"custom_hostnames", "created_at", Kind::time_micros},
        {"custom_hostnames", "custom_metadata", Kind::json_object_of_strings},
        {"custom_hostnames", "custom_origin_server", Kind::origin},
        {"custom_hostnames", "custom_origin_sni", Kind::origin_sni},
        {"custom_hostnames", "ownership_token", Kind::not_empty},
        {"custom_hostnames", "ssl_id", Kind::uuid},
        {"custom_hostnames", "ssl_status", Kind::certificate_status},
        {"custom_hostnames", "ssl_method", Kind::one_of, {"http", "txt", "email"}},
        {"custom_hostnames", "ssl_type", Kind::one_of, {"dv"}},
        {"custom_hostnames", "ssl_bundle_method", Kind::one_of, {"ubiquitous", "optimal", "force"}},
        {"custom_hostnames", "ssl_wildcard", Kind::flag},
        {"custom_hostnames", "ssl_certificate_authority", Kind::one_of, {"digicert", "google", "lets_encrypt", "ssl_com"}},
        {"custom_hostnames", "ssl_settings", Kind::json_object},
        {"custom_hostnames", "ssl_uploaded_on", Kind::time_seconds},
        {"custom_hostnames", "cert_not_before", Kind::time_seconds},
        {"custom_hostnames", "cert_not_after", Kind::time_seconds},
        {"custom_hostnames", "status_changed_at", Kind::time_micros},
        {"custom_hostnames", "ownership_attempts", Kind::count},
        {"custom_hostnames", "ownership_next_check_at", Kind::time_micros},
        {"custom_hostnames", "verification_errors", Kind::json_array_of_strings},
        {"custom_hostnames", "ssl_status_changed_at", Kind::time_micros},
        {"custom_hostnames", "ssl_attempts", Kind::count},
        {"custom_hostnames", "ssl_next_check_at", Kind::time_micros},
        {"custom_hostnames", "ssl_validation_errors", Kind::json_array_of_strings},
        {"custom_hostnames", "ssl_clock_at", Kind::time_micros},
        {"custom_hostnames", "cert_id", Kind::uuid},
        {"custom_hostnames", "dv_ecdsa_certificate_id", Kind::uuid},
        {"custom_hostnames", "dv_rsa_certificate_id", Kind::uuid},

        {"custom_certificates", "id", Kind::uuid},
        {"custom_certificates", "zone_id", Kind::routable_id},
        {"custom_certificates", "type", Kind::one_of, {"legacy_custom", "sni_custom"}},
        {"custom_certificates", "bundle_method", Kind::one_of, {"ubiquitous", "optimal", "force"}},
        {"custom_certificates", "geo_restrictions", Kind::one_of, {"us", "eu", "highest_security"}},
        {"custom_certificates", "deploy", Kind::one_of, {"staging", "production"}},
        {"custom_certificates", "priority", Kind::priority},
        {"custom_certificates", "uploaded_on", Kind::time_seconds},
        {"custom_certificates", "modified_on", Kind::time_seconds},
        {"custom_certificates", "cert_not_before", Kind::time_seconds},
        {"custom_certificates", "cert_not_after", Kind::time_seconds},

        {"fallback_origins", "zone_id", Kind::routable_id},
        {"fallback_origins", "origin", Kind::origin},
        {"fallback_origins", "status", Kind::one_of, {"active", "pending_deployment", "pending_deletion", "deployment_timed_out"}},
        {"fallback_origins", "errors", Kind::json_array_of_strings},
        {"fallback_origins", "created_at", Kind::time_micros},
        {"fallback_origins", "updated_at", Kind::time_micros},
        {"fallback_origins", "attempts", Kind::count},
        {"fallback_origins", "next_check_at", Kind::time_micros},

        {"zones", "id", Kind::object_id},
        {"zones", "name", Kind::zone_name},
        {"zones", "account_id", Kind::object_id},
        {"zones", "type", Kind::one_of, {"full", "partial", "secondary"}},
        {"zones", "created_on", Kind::time_micros},
        {"zones", "modified_on", Kind::time_micros},
        {"zones", "activated_on", Kind::time_micros},

        {"origin_ca_certificates", "id", Kind::serial},
        {"origin_ca_certificates", "request_type", Kind::one_of, {"origin-rsa", "origin-ecc", "keyless-certificate"}},
        {"origin_ca_certificates", "hostnames", Kind::json_array_of_strings},
        {"origin_ca_certificates", "created_at", Kind::time_micros},
        {"origin_ca_certificates", "expires_on", Kind::time_seconds},
        {"origin_ca_certificates", "revoked_at", Kind::time_micros},
        {"origin_ca_certificate_zones", "certificate_id", Kind::serial},
        {"origin_ca_certificate_zones", "zone_id", Kind::object_id},
    };
    return rules;
}

// The largest integer every JSON client reads exactly (a JavaScript number); the API stores its
// negation too (list order), which must not overflow.
constexpr std::int64_t max_exact_integer = (std::int64_t{1} << 53) - 1;

// One column of one row against its rule; a null passes (NOT NULL is read_state_document's).
void check_column(const Row& row, const ColumnRule& rule) {
    const std::string_view column = rule.column;
    switch (rule.kind) {
        case Kind::uuid: return check_uuid(row, column);
        case Kind::routable_id: return check_scope_id(row, column);
        case Kind::time_micros: return check_time(row, column, TimeFormat::micros);
        case Kind::time_seconds: return check_time(row, column, TimeFormat::seconds);
        case Kind::count: return check_range(row, column, 0, INT32_MAX, "must be a count from 0 to 2147483647");
        case Kind::flag: return check_range(row, column, 0, 1, "must be 0 or 1");
        case Kind::priority:
            return check_range(row, column, -max_exact_integer, max_exact_integer, "must be within +-(2^53 - 1)");
        case Kind::one_of: return check_one_of(row, column, rule.allowed);
        case Kind::json_object: return check_json(row, column, StoredJson::object);
        case Kind::json_object_of_strings: return check_json(row, column, StoredJson::object_of_strings);
        case Kind::json_array_of_strings: return check_json(row, column, StoredJson::array_of_strings);
        case Kind::hostname:
            if (auto text = row.text(column)) check_name(row.at(column), *text, "hostname");
            return;
        case Kind::origin: return check_origin(row, column);
        case Kind::origin_sni:
            // Cloudflare's value for "send the visitor's Host as the SNI".
            if (row.text(column) != ":request_host_header:") check_origin(row, column);
            return;
        case Kind::not_empty: return check_not_empty(row, column);
        case Kind::printable: return check_printable(row, column, rule.max);
        case Kind::country: {
            auto text = row.text(column);
            if (text && (text->size() != 2 || !std::isalpha(static_cast<unsigned char>((*text)[0])) ||
                         !std::isalpha(static_cast<unsigned char>((*text)[1]))))
                refuse_at(row.at(column), "must be a two-letter ISO 3166-1 alpha-2 code");
            return;
        }
        case Kind::ownership_status:
            if (auto text = row.text(column); text && !lifecycle::parse_ownership(*text))
                refuse_at(row.at(column), "must be an ownership status of the lifecycle (pending, active, moved, "
                                       "deleted, blocked)");
            return;
        case Kind::object_id:
            if (auto text = row.text(column);
                text && (text->size() != 32 || text->find_first_not_of("0123456789abcdef") != std::string::npos))
                refuse_at(row.at(column), "must be 32 lower-case hexadecimal digits");
            return;
        case Kind::zone_name:
            if (auto text = row.text(column); text && (!is_zone_name(*text) || *text != lowercase(*text)))
                refuse_at(row.at(column), "must be a lower-case zone name (labels of letters, digits and '-', at least two)");
            return;
        case Kind::serial:
            if (auto text = row.text(column);
                text && (text->empty() || text->size() > 49 || text->find_first_not_of("0123456789") != std::string::npos))
                refuse_at(row.at(column), "must be a decimal serial of 1 to 49 digits");
            return;
        case Kind::certificate_status:
            if (auto text = row.text(column); text && !lifecycle::parse_certificate(*text))
                refuse_at(row.at(column), "must be a certificate status of the lifecycle (initializing, "
                                       "pending_validation, pending_issuance, pending_deployment, active, expired, or "
                                       "one of the pending ones timed out)");
            return;
    }
}

// ---- what a row must hold across its columns and the rows it names ----

// An Origin CA certificate: its CSR and certificate readable, the certificate for the CSR's key
// (the emulator never holds that key), its validity one the API offers.
void check_origin_certificate(const Row& row) {
    constexpr std::int64_t validities[] = {7, 30, 90, 365, 730, 1095, 5475};
    auto validity = row.integer("requested_validity");
    if (validity && std::find(std::begin(validities), std::end(validities), *validity) == std::end(validities))
        refuse_at(row.at("requested_validity"), "must be 7, 30, 90, 365, 730, 1095 or 5475");
    crypto::CsrDetails csr;
    try {
        csr = crypto::inspect_csr(row.str("csr_pem"));
    } catch (const crypto::Error& e) {
        refuse_at(row.at("csr_pem"), std::string("not a readable CSR: ") + e.what());
    }
    check_chain(row, "certificate_pem", csr.public_key_pem, "csr_pem");
}

// Where each CSR is in the document, and what the rows that use one need of it.
struct CsrFacts {
    std::size_t index;
    std::string scope, scope_id, public_key_pem;
};
using Csrs = std::map<std::string, CsrFacts>;

// The SANs of each CSR id (custom_csr_sans rows, in position order).
using Sans = std::map<std::string, std::vector<std::string>>;

// The SANs pass the API's name rules, and the CSR says what its columns say with the stored key.
void check_csr(const Row& row, const Sans& sans, Csrs& csrs) {
    const std::string id = row.str("id");
    auto listed = sans.find(id);
    const std::vector<std::string> names = listed == sans.end() ? std::vector<std::string>{} : listed->second;
    const std::string sans_at = "/custom_csrs/" + std::to_string(row.index()) + "/sans";
    if (names.empty()) refuse_at(sans_at, "must list at least one name");
    if (names.size() > max_sans) refuse_at(sans_at, "must list at most " + std::to_string(max_sans) + " names");
    for (std::size_t i = 0; i < names.size(); ++i)
        check_name(sans_at + "/" + std::to_string(i), names[i], "SAN", Case::as_sent);

    crypto::CsrDetails csr;
    try {
        csr = crypto::inspect_csr(row.str("csr_pem"));
    } catch (const crypto::Error& e) {
        refuse_at(row.at("csr_pem"), std::string("not a readable CSR: ") + e.what());
    }
    if (!csr.signature_valid) refuse_at(row.at("csr_pem"), "the CSR's signature does not verify");
    crypto::CsrSubject subject{row.str("country"), row.str("state"), row.str("locality"), row.str("organization"),
                               row.text("organizational_unit"), row.str("common_name")};
    if (csr.subject != subject) refuse_at(row.at("csr_pem"), "its subject is not the row's country, state, locality, "
                                                          "organization, organizational_unit and common_name");
    if (csr.dns_sans != names) refuse_at(row.at("csr_pem"), "its DNS names are not the row's sans");
    auto key = public_key(row, "private_key_pem");
    std::optional<crypto::KeyType> type;
    try {
        type = crypto::key_type_of_private_key(row.str("private_key_pem"));
    } catch (const crypto::Error&) {
    }
    if (!type || key_type_name(*type) != row.str("key_type"))
        refuse_at(row.at("private_key_pem"), "is not a " + row.str("key_type") + " key");
    // Both SPKI PEMs are OpenSSL's encoding of a key the emulator made, so equal keys are equal text.
    if (key != csr.public_key_pem) refuse_at(row.at("private_key_pem"), "does not match the public key of csr_pem");
    csrs[id] = CsrFacts{row.index(), row.str("scope"), row.str("scope_id"), csr.public_key_pem};
}

// A custom hostname or certificate may use only a custom CSR of its own zone (the API looks the
// CSR up by zone); the public key its certificate must carry.
std::optional<std::string> csr_key_for(const Row& row, const Csrs& csrs) {
    auto csr_id = row.text("custom_csr_id");
    if (!csr_id) return std::nullopt;
    auto found = csrs.find(*csr_id);
    if (found == csrs.end()) refuse_at(row.at("custom_csr_id"), "no custom_csrs row with id " + *csr_id);
    const auto zone = row.str("zone_id");
    const std::string csr_at = "/custom_csrs/" + std::to_string(found->second.index);
    if (found->second.scope != "zone")
        refuse_at(row.at("custom_csr_id"), "names " + csr_at + ", an account's CSR; only a CSR of zone " + zone + " can be used");
    if (found->second.scope_id != zone)
        refuse_at(row.at("custom_csr_id"), "names " + csr_at + ", a CSR of zone " + found->second.scope_id +
                                            "; only a CSR of zone " + zone + " can be used");
    return found->second.public_key_pem;
}

// The nine cert_* columns: all set (with a chain whose key is the CSR's or the stored key's) or
// all null, as the API stores an uploaded certificate.
void check_uploaded_certificate(const Row& row, const Csrs& csrs) {
    auto csr_key = csr_key_for(row, csrs);
    constexpr std::string_view facts[] = {"cert_issuer",    "cert_serial_number", "cert_signature",
                                          "cert_not_before", "cert_not_after",     "cert_hosts",
                                          "cert_fingerprint_sha256"};
    if (!row.has("cert_chain_pem")) {
        for (auto column : facts)
            if (row.has(column)) refuse_at(row.at(column), "is set without cert_chain_pem");
        if (row.has("cert_private_key_pem")) refuse_at(row.at("cert_private_key_pem"), "is set without cert_chain_pem");
        return;
    }
    for (auto column : facts)
        if (!row.has(column)) refuse_at(row.at(column), "is required with cert_chain_pem");
    if (csr_key && row.has("cert_private_key_pem"))
        refuse_at(row.at("cert_private_key_pem"), "must be null when custom_csr_id names the key's CSR");
    std::optional<std::string> expected = csr_key;
    if (!expected && row.has("cert_private_key_pem")) expected = public_key(row, "cert_private_key_pem");
    check_chain(row, "cert_chain_pem", expected, csr_key ? "custom_csr_id" : "cert_private_key_pem");
}

// A DV pair the emulator issued: each chain readable, each key (absent in a keyless snapshot:
// reissued on the next read) its leaf's.
void check_dv_certificate(const Row& row, std::string_view chain, std::string_view key) {
    if (!row.has(chain)) {
        if (row.has(key)) refuse_at(row.at(key), "is set without " + std::string(chain));
        return;
    }
    std::optional<std::string> expected;
    if (row.has(key)) expected = public_key(row, key);
    check_chain(row, chain, expected, key);
}

// The ssl_* columns a hostname's ssl needs, and settings the API's own reader of ssl.settings
// (codes 1409-1434) accepts.
void check_hostname_ssl(const Row& row) {
    if (!row.has("ssl_id")) return;
    for (auto column : {"ssl_status", "ssl_method", "ssl_type", "ssl_bundle_method", "ssl_wildcard"})
        if (!row.has(column)) refuse_at(row.at(column), "is required with ssl_id");
    if (auto settings = row.text("ssl_settings")) {
        try {
            read_hostname_ssl_request(nlohmann::json::object({{"settings", nlohmann::json::parse(*settings)}}));
        } catch (const ApiError& e) {
            refuse_at(row.at("ssl_settings"), "the API refuses these settings: " + e.errors().front().message);
        }
    }
}

using HostnamesSeen = std::map<std::pair<std::string, std::string>, std::size_t>;

void check_hostname(const Row& row, const Csrs& csrs, HostnamesSeen& seen) {
    // UNIQUE (zone_id, hostname), named where the document breaks it rather than by SQLite.
    auto [first, fresh] = seen.emplace(std::pair(row.str("zone_id"), row.str("hostname")), row.index());
    if (!fresh)
        refuse_at(row.at("hostname"), "duplicates /custom_hostnames/" + std::to_string(first->second) +
                                       ": a zone holds each hostname once");
    if (row.has("custom_metadata") && row.str("hostname").starts_with("*."))
        refuse_at(row.at("custom_metadata"), "the API refuses custom metadata on a wildcard hostname");
    check_hostname_ssl(row);
    check_uploaded_certificate(row, csrs);
    check_dv_certificate(row, "dv_ecdsa_chain_pem", "dv_ecdsa_private_key_pem");
    check_dv_certificate(row, "dv_rsa_chain_pem", "dv_rsa_private_key_pem");
}

}  // namespace

void check_state_rules(const std::vector<TableRows>& tables) {
    Sans sans;
    for (const auto& table : tables)
        for (std::size_t r = 0; table.table == "custom_csr_sans" && r < table.rows.size(); ++r)
            sans[Row(table, r).str("csr_id")].push_back(Row(table, r).str("san"));
    Csrs csrs;
    HostnamesSeen hostnames;
    std::map<std::string, std::size_t> zone_names;  // UNIQUE (name), named where the document breaks it
    // The CSRs first, so the rows that name one know it; then the other tables in document order.
    auto csrs_first = [](const TableRows* a, const TableRows* b) {
        return (a->table == "custom_csrs") > (b->table == "custom_csrs");
    };
    std::vector<const TableRows*> order;
    for (const auto& table : tables) order.push_back(&table);
    std::stable_sort(order.begin(), order.end(), csrs_first);
    for (const TableRows* each : order) {
        const TableRows& table = *each;
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            Row row(table, r);
            for (const auto& rule : column_rules())
                if (rule.table == table.table) check_column(row, rule);
            if (table.table == "custom_csrs") check_csr(row, sans, csrs);
            else if (table.table == "custom_hostnames") check_hostname(row, csrs, hostnames);
            else if (table.table == "custom_certificates") check_uploaded_certificate(row, csrs);
            else if (table.table == "origin_ca_certificates") check_origin_certificate(row);
            else if (table.table == "zones") {
                auto [first, fresh] = zone_names.emplace(row.str("name"), r);
                if (!fresh) refuse_at(row.at("name"), "duplicates /zones/" + std::to_string(first->second) + ": zone names are unique");
            }
        }
    }
}

}  // namespace api::emulator
