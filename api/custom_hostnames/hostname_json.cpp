// The custom hostname as Cloudflare answers it, and its "ssl" object, from the stored row.
#include "api/custom_hostnames/hostname_json.hpp"

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/dcv_records.hpp"
#include "api/custom_hostnames/validation_checks.hpp"
#include "api/stored_json.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"

namespace api {
namespace {

using nlohmann::json;

TimePoint at(std::int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

}  // namespace

void certificate_facts(json& out, const storage::HostnameSsl& ssl) {
    if (ssl.certificate) {
        const auto& cert = *ssl.certificate;
        out["issuer"] = cert.issuer;
        out["serial_number"] = cert.serial_number;
        out["signature"] = cert.signature;
        out["expires_on"] = cert.not_after;
        out["hosts"] = cert.hosts;
        if (ssl.uploaded_on) out["uploaded_on"] = *ssl.uploaded_on;
        return;
    }
    if (!ssl.dv_ecdsa_chain_pem) return;
    auto parsed = crypto::parse_certificates(*ssl.dv_ecdsa_chain_pem);
    if (parsed.empty()) return;
    const auto& leaf = parsed.front();
    out["issuer"] = leaf.issuer;
    out["serial_number"] = leaf.serial_number;
    out["signature"] = leaf.signature;
    out["expires_on"] = rfc3339_seconds(at(leaf.not_after));
    out["hosts"] = leaf.dns_names;
    out["uploaded_on"] = rfc3339_micros(at(leaf.not_before));
}

json hostname_ssl_json(const storage::CustomHostname& h, const LogSink& log) {
    const storage::HostnameSsl& ssl = *h.ssl;
    json out = {{"id", ssl.id},
                {"type", ssl.type},
                {"method", ssl.method},
                {"status", ssl.status},
                {"bundle_method", ssl.bundle_method},
                {"wildcard", ssl.wildcard},
                {"settings", json::object()}};
    if (ssl.settings)
        if (auto settings = read_stored_json(*ssl.settings, StoredJson::object, log, stored_column(h, "ssl_settings")))
            out["settings"] = std::move(*settings);
    if (ssl.certificate_authority) out["certificate_authority"] = *ssl.certificate_authority;
    if (ssl.custom_csr_id) out["custom_csr_id"] = *ssl.custom_csr_id;
    certificate_facts(out, ssl);
    if (ssl.certificate) {
        // The pack's one uploaded certificate, with the id PUT and DELETE
        // .../certificate_pack/{ssl.id}/certificates/{id} name it by.
        const auto& cert = *ssl.certificate;
        json entry = {{"issuer", cert.issuer},
                      {"serial_number", cert.serial_number},
                      {"signature", cert.signature},
                      {"expires_on", cert.not_after},
                      {"issued_on", cert.not_before},
                      {"fingerprint_sha256", cert.fingerprint_sha256}};
        if (ssl.certificate_id) entry["id"] = *ssl.certificate_id;
        out["certificates"] = json::array({std::move(entry)});
    }
    if (!ssl.certificate && ssl.dv_ecdsa_chain_pem) {
        // The DV pair Cloudflare issued: the primary (ECDSA) leaf's facts, as Cloudflare's active
        // example shows them, and both certificates as legacy clients decode `certificates`. Also
        // while it renews (the pair still served) and once it has expired (the end it reached).
        json certificates = json::array();
        for (auto [chain, id] : {std::pair{&ssl.dv_ecdsa_chain_pem, &ssl.dv_ecdsa_certificate_id},
                                 std::pair{&ssl.dv_rsa_chain_pem, &ssl.dv_rsa_certificate_id}}) {
            if (!*chain) continue;
            auto parsed = crypto::parse_certificates(**chain);
            if (parsed.empty()) continue;
            const auto& leaf = parsed.front();
            json entry = {{"issuer", leaf.issuer},
                          {"serial_number", leaf.serial_number},
                          {"signature", leaf.signature},
                          {"expires_on", rfc3339_seconds(at(leaf.not_after))},
                          {"issued_on", rfc3339_seconds(at(leaf.not_before))},
                          {"fingerprint_sha256", leaf.fingerprint_sha256}};
            if (*id) entry["id"] = **id;
            certificates.push_back(std::move(entry));
        }
        out["certificates"] = certificates;
    }
    // Where the customer proves control for a Cloudflare-managed certificate: not yet in the
    // create answer (initializing; Cloudflare's docs advise a later GET), nor once active.
    if (!ssl.certificate && ssl.dcv_token && ssl.status != "active" && ssl.status != "initializing")
        out["validation_records"] = validation_records_json(h.hostname, ssl);
    // Why the certificate is still pending (or why it timed out).
    auto errors = read_stored_json(ssl.validation_errors, StoredJson::array_of_strings, log,
                                   stored_column(h, "ssl_validation_errors"));
    if (errors && !errors->empty()) {
        json shown = json::array();
        for (const auto& message : *errors) shown.push_back({{"message", message}});
        out["validation_errors"] = shown;
    }
    return out;
}

json custom_hostname_json(const storage::CustomHostname& h, const LogSink& log) {
    json out = {{"id", h.id}, {"hostname", h.hostname}, {"status", h.status}, {"created_at", h.created_at}};
    // How to prove ownership, until it is proven (Cloudflare stops showing it then). A wildcard
    // proves it by TXT at its base name: no HTTP URL can reach "*.".
    if (h.status != "active") {
        std::string name = record_base_name(h.hostname);
        out["ownership_verification"] = {{"type", "txt"}, {"name", ownership_txt_name(name)}, {"value", h.ownership_token}};
        if (!is_wildcard_hostname(h.hostname))
            out["ownership_verification_http"] = {{"http_url", ownership_http_url(h.hostname, h.id)},
                                                  {"http_body", h.ownership_token}};
    }
    // Why ownership is still pending (Cloudflare shows the list only then).
    auto errors = read_stored_json(h.verification_errors, StoredJson::array_of_strings, log,
                                   stored_column(h, "verification_errors"));
    if (errors && !errors->empty()) out["verification_errors"] = std::move(*errors);
    if (h.custom_metadata)
        if (auto metadata = read_stored_json(*h.custom_metadata, StoredJson::object_of_strings, log,
                                             stored_column(h, "custom_metadata")))
            out["custom_metadata"] = std::move(*metadata);
    if (h.custom_origin_server) out["custom_origin_server"] = *h.custom_origin_server;
    if (h.custom_origin_sni) out["custom_origin_sni"] = *h.custom_origin_sni;
    // Always an ssl object (the official SDKs' types require one): a hostname created without
    // one has no certificate, which Cloudflare's ssl.status calls inactive.
    out["ssl"] = h.ssl ? hostname_ssl_json(h, log) : json{{"status", "inactive"}};
    return out;
}

}  // namespace api
