#include "api/emulator/state_rules.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/custom_csrs/request.hpp"
#include "api/custom_hostnames/lifecycle.hpp"
#include "api/custom_hostnames/request.hpp"
#include "api/custom_hostnames/timestamps.hpp"
#include "api/emulator/control_errors.hpp"
#include "api/identifiers.hpp"
#include "api/name_rules.hpp"
#include "api/stored_json.hpp"
#include "api/text.hpp"
#include "api/time_format.hpp"
#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"

namespace api::emulator {
namespace {

using storage::TableRows;
using storage::Value;

[[noreturn]] void refuse(const std::string& pointer, const std::string& message) {
    throw ApiError(invalid_control_request, pointer + ": " + message);
}

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
    if (year >= 0 && (year < 1970 || year > 2199)) refuse(row.at(column), "must be between 1970-01-01 and 2199-12-31");
    auto time = parse_rfc3339(*text);
    // Written back the same only when it is in the column's own format (no leap second either).
    bool exact = time && (format == TimeFormat::micros ? rfc3339_micros(*time) : rfc3339_seconds(*time)) == *text;
    if (!exact) refuse(row.at(column), "must be a UTC time written " + std::string(shape));
}

void check_one_of(const Row& row, std::string_view column, std::initializer_list<std::string_view> allowed) {
    auto text = row.text(column);
    if (!text || one_of(*text, allowed)) return;
    std::string list;
    for (auto value : allowed) list += (list.empty() ? "" : ", ") + std::string(value);
    refuse(row.at(column), "must be one of " + list);
}

void check_range(const Row& row, std::string_view column, std::int64_t min, std::int64_t max, const char* why) {
    auto n = row.integer(column);
    if (n && (*n < min || *n > max)) refuse(row.at(column), why);
}

// Every id the emulator hands out is a UUID; its routes refuse any other id.
void check_uuid(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (text && !is_uuid(*text)) refuse(row.at(column), "must be a UUID (8-4-4-4-12 hexadecimal digits)");
}

// A zone or account id is a path segment of every route that reaches the row.
void check_scope_id(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (!text) return;
    bool routable = !text->empty() && text->size() <= 255 && std::all_of(text->begin(), text->end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte > 0x20 && byte < 0x7f && c != '/' && c != '?' && c != '#' && c != '%';
    });
    if (!routable) refuse(row.at(column), "must be an id a route can carry (1-255 printable characters, no / ? # %)");
}

void check_not_empty(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (text && text->empty()) refuse(row.at(column), "must not be empty");
}

void check_json(const Row& row, std::string_view column, StoredJson kind) {
    auto text = row.text(column);
    if (!text) return;
    if (auto problem = stored_json_problem(*text, kind); !problem.empty()) {
        const char* wanted = kind == StoredJson::object             ? "a JSON object"
                             : kind == StoredJson::object_of_strings ? "a JSON object of strings"
                                                                    : "a JSON array of strings";
        refuse(row.at(column), "must be the text of " + std::string(wanted) + ": " + problem);
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
        refuse(pointer, std::string("the API refuses this ") + what + ": " + name_problem(check.problem) +
                            (check.reason.empty() ? "" : " (" + check.reason + ")"));
    if (letters == Case::lowered && lowercase(name) != name) refuse(pointer, std::string("the API stores a ") + what + " in lowercase");
}

// custom_origin_server (and custom_origin_sni): a name without a wildcard.
void check_origin(const Row& row, std::string_view column) {
    auto text = row.text(column);
    if (!text) return;
    if (text->find('*') != std::string::npos) refuse(row.at(column), "the API refuses a wildcard origin");
    check_name(row.at(column), *text, "origin name", Case::lowered, NameRules{.allow_wildcard = false});
}

void check_printable(const Row& row, std::string_view column, std::size_t max) {
    auto text = row.text(column);
    if (!text) return;
    if (text->empty()) refuse(row.at(column), "must not be empty");
    if (text->size() > max) refuse(row.at(column), "must be at most " + std::to_string(max) + " characters");
    for (char c : *text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) refuse(row.at(column), "must not contain control characters");
}

// ---- certificates and keys (crypto/) ----

// The public key of a private key PEM, or the refusal naming `column`.
std::string public_key(const Row& row, std::string_view column) {
    try {
        return crypto::public_key_of_private_key(row.str(column));
    } catch (const crypto::Error& e) {
        refuse(row.at(column), std::string("not a readable private key: ") + e.what());
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
        refuse(row.at(chain_column), "not a certificate chain the API would have stored (" +
                                         (verdict.detail.empty() ? std::string("no certificate") : verdict.detail) + ")");
    if (!expected_public_key) return;
    // Equal SPKI text is the same key (both are OpenSSL's encoding of it); only a difference needs
    // the key comparison itself, which is what the API's upload check does.
    if (verdict.leaf->public_key_pem == *expected_public_key) return;
    check.now = verdict.leaf->not_before;
    check.expected_public_key_pem = expected_public_key;
    verdict = crypto::check_certificate(check, no_roots);
    if (verdict.problem == crypto::CertificateProblem::key_mismatch)
        refuse(row.at(key_column), "does not match the public key of " + std::string(chain_column) + "'s certificate");
    if (verdict.problem != crypto::CertificateProblem::none)
        refuse(row.at(chain_column), "not a certificate the API would have stored (" + verdict.detail + ")");
}

// ---- the rows of each table ----

// Where each CSR is in the document, and what the rows that use one need of it.
struct CsrFacts {
    std::size_t index;
    std::string scope, scope_id, public_key_pem;
};
using Csrs = std::map<std::string, CsrFacts>;

// The SANs of each CSR id (custom_csr_sans rows, in position order).
using Sans = std::map<std::string, std::vector<std::string>>;

void check_csr(const Row& row, const Sans& sans, Csrs& csrs) {
    check_uuid(row, "id");
    check_one_of(row, "scope", {"zone", "account"});
    check_scope_id(row, "scope_id");
    check_time(row, "created_at", TimeFormat::micros);
    check_one_of(row, "key_type", {"rsa2048", "p256v1"});
    // The API's subject rules (api/custom_csrs/request.cpp).
    auto country = row.str("country");
    if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
        !std::isalpha(static_cast<unsigned char>(country[1])))
        refuse(row.at("country"), "must be a two-letter ISO 3166-1 alpha-2 code");
    check_printable(row, "state", 128);
    check_printable(row, "locality", 128);
    check_printable(row, "organization", 64);
    check_printable(row, "organizational_unit", 64);  // the API stores an empty one as null
    check_printable(row, "common_name", max_common_name);

    const std::string id = row.str("id");
    auto listed = sans.find(id);
    const std::vector<std::string> names = listed == sans.end() ? std::vector<std::string>{} : listed->second;
    const std::string sans_at = "/custom_csrs/" + std::to_string(row.index()) + "/sans";
    if (names.empty()) refuse(sans_at, "must list at least one name");
    if (names.size() > max_sans) refuse(sans_at, "must list at most " + std::to_string(max_sans) + " names");
    for (std::size_t i = 0; i < names.size(); ++i)
        check_name(sans_at + "/" + std::to_string(i), names[i], "SAN", Case::as_sent);

    // The CSR says what its columns say, and its key is the stored one.
    crypto::CsrDetails csr;
    try {
        csr = crypto::inspect_csr(row.str("csr_pem"));
    } catch (const crypto::Error& e) {
        refuse(row.at("csr_pem"), std::string("not a readable CSR: ") + e.what());
    }
    if (!csr.signature_valid) refuse(row.at("csr_pem"), "the CSR's signature does not verify");
    crypto::CsrSubject subject{country, row.str("state"), row.str("locality"), row.str("organization"),
                               row.text("organizational_unit"), row.str("common_name")};
    if (csr.subject != subject) refuse(row.at("csr_pem"), "its subject is not the row's country, state, locality, "
                                                          "organization, organizational_unit and common_name");
    if (csr.dns_sans != names) refuse(row.at("csr_pem"), "its DNS names are not the row's sans");
    auto key = public_key(row, "private_key_pem");
    std::optional<crypto::KeyType> type;
    try {
        type = crypto::key_type_of_private_key(row.str("private_key_pem"));
    } catch (const crypto::Error&) {
    }
    if (!type || key_type_name(*type) != row.str("key_type"))
        refuse(row.at("private_key_pem"), "is not a " + row.str("key_type") + " key");
    // Both SPKI PEMs are OpenSSL's encoding of a key the emulator made, so equal keys are equal text.
    if (key != csr.public_key_pem) refuse(row.at("private_key_pem"), "does not match the public key of csr_pem");
    csrs[id] = CsrFacts{row.index(), row.str("scope"), row.str("scope_id"), csr.public_key_pem};
}

// A custom hostname or certificate may use only a custom CSR of its own zone (the API looks the
// CSR up by zone); the public key its certificate must carry.
std::optional<std::string> csr_key_for(const Row& row, const Csrs& csrs) {
    auto csr_id = row.text("custom_csr_id");
    if (!csr_id) return std::nullopt;
    auto found = csrs.find(*csr_id);
    if (found == csrs.end()) refuse(row.at("custom_csr_id"), "no custom_csrs row with id " + *csr_id);
    const auto zone = row.str("zone_id");
    const std::string csr_at = "/custom_csrs/" + std::to_string(found->second.index);
    if (found->second.scope != "zone")
        refuse(row.at("custom_csr_id"), "names " + csr_at + ", an account's CSR; only a CSR of zone " + zone + " can be used");
    if (found->second.scope_id != zone)
        refuse(row.at("custom_csr_id"), "names " + csr_at + ", a CSR of zone " + found->second.scope_id +
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
            if (row.has(column)) refuse(row.at(column), "is set without cert_chain_pem");
        if (row.has("cert_private_key_pem")) refuse(row.at("cert_private_key_pem"), "is set without cert_chain_pem");
        return;
    }
    for (auto column : facts)
        if (!row.has(column)) refuse(row.at(column), "is required with cert_chain_pem");
    check_time(row, "cert_not_before", TimeFormat::seconds);
    check_time(row, "cert_not_after", TimeFormat::seconds);
    if (csr_key && row.has("cert_private_key_pem"))
        refuse(row.at("cert_private_key_pem"), "must be null when custom_csr_id names the key's CSR");
    std::optional<std::string> expected = csr_key;
    if (!expected && row.has("cert_private_key_pem")) expected = public_key(row, "cert_private_key_pem");
    check_chain(row, "cert_chain_pem", expected, csr_key ? "custom_csr_id" : "cert_private_key_pem");
}

// A DV pair the emulator issued: each chain readable, each key (absent in a keyless snapshot:
// reissued on the next read) its leaf's.
void check_dv_certificate(const Row& row, std::string_view chain, std::string_view key) {
    if (!row.has(chain)) {
        if (row.has(key)) refuse(row.at(key), "is set without " + std::string(chain));
        return;
    }
    std::optional<std::string> expected;
    if (row.has(key)) expected = public_key(row, key);
    check_chain(row, chain, expected, key);
}

// The ssl_* columns when the hostname has an ssl (ssl_id set), as the API writes them.
void check_hostname_ssl(const Row& row) {
    if (!row.has("ssl_id")) return;
    check_uuid(row, "ssl_id");
    for (auto column : {"ssl_status", "ssl_method", "ssl_type", "ssl_bundle_method", "ssl_wildcard"})
        if (!row.has(column)) refuse(row.at(column), "is required with ssl_id");
    if (!lifecycle::parse_certificate(row.str("ssl_status")))
        refuse(row.at("ssl_status"), "must be a certificate status of the lifecycle (initializing, pending_validation, "
                                     "pending_issuance, pending_deployment, active, or one of them timed out)");
    check_one_of(row, "ssl_method", {"http", "txt", "email"});
    check_one_of(row, "ssl_type", {"dv"});
    check_one_of(row, "ssl_bundle_method", {"ubiquitous", "optimal", "force"});
    check_range(row, "ssl_wildcard", 0, 1, "must be 0 or 1");
    check_one_of(row, "ssl_certificate_authority", {"digicert", "google", "lets_encrypt", "ssl_com"});
    check_json(row, "ssl_settings", StoredJson::object);
    if (auto settings = row.text("ssl_settings")) {
        // The API's own reader of ssl.settings (codes 1409-1434) judges the values.
        try {
            read_hostname_ssl_request(nlohmann::json::object({{"settings", nlohmann::json::parse(*settings)}}));
        } catch (const ApiError& e) {
            refuse(row.at("ssl_settings"), "the API refuses these settings: " + e.errors().front().message);
        }
    }
    check_time(row, "ssl_uploaded_on", TimeFormat::seconds);
}

void check_hostname(const Row& row, const Csrs& csrs, std::map<std::pair<std::string, std::string>, std::size_t>& names) {
    check_uuid(row, "id");
    check_scope_id(row, "zone_id");
    const std::string hostname = row.str("hostname");
    check_name(row.at("hostname"), hostname, "hostname");
    // UNIQUE (zone_id, hostname), named where the document breaks it rather than by SQLite.
    auto [first, fresh] = names.emplace(std::pair(row.str("zone_id"), hostname), row.index());
    if (!fresh)
        refuse(row.at("hostname"), "duplicates /custom_hostnames/" + std::to_string(first->second) +
                                       ": a zone holds each hostname once");
    if (!row.text("status") || !lifecycle::parse_ownership(row.str("status")))
        refuse(row.at("status"), "must be an ownership status of the lifecycle (pending, active, moved, deleted, blocked)");
    check_time(row, "created_at", TimeFormat::micros);
    check_time(row, "status_changed_at", TimeFormat::micros);
    check_time(row, "ownership_next_check_at", TimeFormat::micros);
    check_time(row, "ssl_status_changed_at", TimeFormat::micros);
    check_time(row, "ssl_next_check_at", TimeFormat::micros);
    check_json(row, "custom_metadata", StoredJson::object_of_strings);
    if (row.has("custom_metadata") && hostname.starts_with("*."))
        refuse(row.at("custom_metadata"), "the API refuses custom metadata on a wildcard hostname");
    check_origin(row, "custom_origin_server");
    if (row.text("custom_origin_sni") != ":request_host_header:") check_origin(row, "custom_origin_sni");
    check_not_empty(row, "ownership_token");
    check_range(row, "ownership_attempts", 0, INT32_MAX, "must be a count from 0 to 2147483647");
    check_range(row, "ssl_attempts", 0, INT32_MAX, "must be a count from 0 to 2147483647");
    check_json(row, "verification_errors", StoredJson::array_of_strings);
    check_json(row, "ssl_validation_errors", StoredJson::array_of_strings);
    check_hostname_ssl(row);
    check_uploaded_certificate(row, csrs);
    check_dv_certificate(row, "dv_ecdsa_chain_pem", "dv_ecdsa_private_key_pem");
    check_dv_certificate(row, "dv_rsa_chain_pem", "dv_rsa_private_key_pem");
}

// The largest integer every JSON client reads exactly (a JavaScript number); the API stores its
// negation too (list order), which must not overflow.
constexpr std::int64_t max_exact_integer = (std::int64_t{1} << 53) - 1;

void check_certificate_row(const Row& row, const Csrs& csrs) {
    check_uuid(row, "id");
    check_scope_id(row, "zone_id");
    check_one_of(row, "type", {"legacy_custom", "sni_custom"});
    check_one_of(row, "bundle_method", {"ubiquitous", "optimal", "force"});
    check_one_of(row, "geo_restrictions", {"us", "eu", "highest_security"});
    check_one_of(row, "deploy", {"staging", "production"});
    check_range(row, "priority", -max_exact_integer, max_exact_integer, "must be within +-(2^53 - 1)");
    check_time(row, "uploaded_on", TimeFormat::seconds);
    check_time(row, "modified_on", TimeFormat::seconds);
    check_uploaded_certificate(row, csrs);
}

void check_fallback_origin(const Row& row) {
    check_scope_id(row, "zone_id");
    check_origin(row, "origin");
    check_one_of(row, "status", {"active", "pending_deployment", "pending_deletion", "deployment_timed_out"});
    check_json(row, "errors", StoredJson::array_of_strings);
    check_time(row, "created_at", TimeFormat::micros);
    check_time(row, "updated_at", TimeFormat::micros);
    check_time(row, "next_check_at", TimeFormat::micros);
    check_range(row, "attempts", 0, INT32_MAX, "must be a count from 0 to 2147483647");
}

const TableRows* table_named(const std::vector<TableRows>& tables, std::string_view name) {
    for (const auto& t : tables)
        if (t.table == name) return &t;
    return nullptr;
}

void for_each_row(const std::vector<TableRows>& tables, std::string_view name, const std::function<void(const Row&)>& check) {
    if (const auto* table = table_named(tables, name))
        for (std::size_t r = 0; r < table->rows.size(); ++r) check(Row(*table, r));
}

}  // namespace

void check_state_rules(const std::vector<TableRows>& tables) {
    Sans sans;
    for_each_row(tables, "custom_csr_sans", [&](const Row& row) {
        auto& list = sans[row.text("csr_id").value_or("")];
        list.push_back(row.text("san").value_or(""));
    });
    Csrs csrs;
    for_each_row(tables, "custom_csrs", [&](const Row& row) { check_csr(row, sans, csrs); });
    std::map<std::pair<std::string, std::string>, std::size_t> hostnames;
    for_each_row(tables, "custom_hostnames", [&](const Row& row) { check_hostname(row, csrs, hostnames); });
    for_each_row(tables, "custom_certificates", [&](const Row& row) { check_certificate_row(row, csrs); });
    for_each_row(tables, "fallback_origins", [&](const Row& row) { check_fallback_origin(row); });
}

}  // namespace api::emulator
