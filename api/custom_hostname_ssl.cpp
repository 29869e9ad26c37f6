#include "api/custom_hostname_ssl.hpp"

#include <set>

#include "api/certificate_upload.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace hostname_errors;
using nlohmann::json;

// ssl.settings: each known setting checked with its code, unknown keys refused (1434).
json read_settings(const json& settings) {
    auto on_off = [&](const char* key, const ErrorSpec& code) {
        auto value = string_field(settings, key, body_undecodable);
        if (value && !one_of(*value, {"on", "off"})) throw ApiError(code);
    };
    on_off("http2", http2_invalid);
    on_off("tls_1_2_only", tls_1_2_only_invalid);
    on_off("tls_1_3", tls_1_3_invalid);
    on_off("early_hints", ssl_attribute_invalid);
    auto min_tls = string_field(settings, "min_tls_version", body_undecodable);
    if (min_tls && !one_of(*min_tls, {"1.0", "1.1", "1.2", "1.3"})) throw ApiError(min_tls_version_invalid);
    if (settings.contains("ciphers") && !settings["ciphers"].is_null()) {
        const json& ciphers = settings["ciphers"];
        if (!ciphers.is_array()) throw ApiError(ciphers_invalid);
        std::set<std::string> seen;
        for (const auto& c : ciphers) {
            // BoringSSL cipher names: upper-case letters, digits, '-' and '_'.
            if (!c.is_string() || c.get<std::string>().empty() ||
                c.get<std::string>().find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != std::string::npos ||
                !seen.insert(c.get<std::string>()).second)
                throw ApiError(ciphers_invalid);
        }
        if (!ciphers.empty() && min_tls == "1.3") throw ApiError(ciphers_with_tls_1_3);
    }
    json kept = json::object();
    for (const auto& [key, value] : settings.items()) {
        if (!one_of(key, {"http2", "tls_1_2_only", "tls_1_3", "early_hints", "min_tls_version", "ciphers"}))
            throw ApiError(ssl_attribute_invalid, "The SSL attribute is invalid: unknown setting '" + key + "'.");
        if (!value.is_null()) kept[key] = value;
    }
    return kept;
}

// The certificate problems in the hostname service's codes.
[[noreturn]] void refuse(const crypto::CertificateVerdict& verdict, const std::string& hostname) {
    using P = crypto::CertificateProblem;
    auto with_detail = [&](const ErrorSpec& spec) {
        std::string message(spec.message);
        if (!verdict.detail.empty()) message += " (" + verdict.detail + ")";
        return ApiError(spec, message);
    };
    switch (verdict.problem) {
        case P::empty: throw ApiError(certificate_empty);
        case P::unparsable: throw with_detail(certificate_unparsable);
        case P::no_leaf: throw ApiError(no_leaf);
        case P::multiple_leaves: throw ApiError(multiple_leaves);
        case P::unsupported_signature: throw with_detail(signature_unsupported);
        // An expired or not yet valid certificate cannot be bundled either; Cloudflare documents no
        // code of its own for it.
        case P::expired:
        case P::not_yet_valid:
        case P::untrusted: throw with_detail(untrusted);
        case P::key_mismatch: throw ApiError(key_mismatch);
        case P::hostname_not_covered: throw ApiError(hostname_not_covered, fill(hostname_not_covered.message, hostname));
        case P::none: break;
    }
    throw ApiError(gateway_errors::internal);
}

std::string base_name(const std::string& hostname) {
    return hostname.starts_with("*.") ? hostname.substr(2) : hostname;
}

}  // namespace

storage::HostnameSsl read_hostname_ssl(Context& context, const std::string& zone_id, const std::string& hostname,
                                       const json& ssl) {
    for (const char* key : {"method", "type", "bundle_method", "certificate_authority", "custom_certificate",
                            "custom_key", "custom_csr_id"})
        string_field(ssl, key, body_undecodable);
    bool_field(ssl, "cloudflare_branding", body_undecodable);
    if (ssl.contains("custom_cert_bundle") && !ssl["custom_cert_bundle"].is_null())
        throw ApiError(ssl_attribute_invalid,
                       "The SSL attribute is invalid: custom_cert_bundle is not supported by csr-emulator; upload one "
                       "certificate with custom_certificate.");

    storage::HostnameSsl out;
    out.id = context.new_id();
    out.type = "dv";
    out.bundle_method = string_field(ssl, "bundle_method", body_undecodable).value_or("ubiquitous");
    if (!one_of(out.bundle_method, {"ubiquitous", "optimal", "force"})) throw ApiError(bundle_method_invalid);
    out.wildcard = bool_field(ssl, "wildcard", body_undecodable).value_or(false);
    out.certificate_authority = string_field(ssl, "certificate_authority", body_undecodable);
    if (out.certificate_authority && out.certificate_authority->empty()) out.certificate_authority.reset();
    if (out.certificate_authority && !one_of(*out.certificate_authority, {"digicert", "google", "lets_encrypt", "ssl_com"}))
        throw ApiError(ssl_attribute_invalid, "The SSL attribute is invalid: unknown certificate_authority.");
    if (auto settings = object_field(ssl, "settings", body_undecodable)) out.settings = read_settings(*settings).dump();

    auto method = string_field(ssl, "method", body_undecodable);
    auto type = string_field(ssl, "type", body_undecodable);
    if (method.has_value() != type.has_value()) throw ApiError(method_and_type_required);
    if (method && !one_of(*method, {"http", "txt", "email"})) throw ApiError(method_unsupported);
    if (type && *type != "dv") throw ApiError(type_unsupported);
    out.method = method.value_or("http");

    auto certificate = string_field(ssl, "custom_certificate", body_undecodable);
    auto key = string_field(ssl, "custom_key", body_undecodable);
    auto csr_id = string_field(ssl, "custom_csr_id", body_undecodable);
    if (!certificate && !key && !csr_id) {
        // Cloudflare-managed DV certificate: pending until the validation records are in place.
        if (out.wildcard) throw ApiError(wildcard_managed);
        out.status = "pending_validation";
        out.dcv_token = context.new_id();
        return out;
    }

    // A customer's certificate, for the key of one of this zone's custom CSRs or with its own key.
    if (csr_id && !is_uuid(*csr_id)) throw ApiError(csr_id_invalid);
    if (!certificate || certificate->find_first_not_of(" \t\r\n") == std::string::npos) throw ApiError(certificate_empty);
    if (csr_id && key)
        throw ApiError(ssl_attribute_invalid, "The SSL attribute is invalid: send custom_key or custom_csr_id, not both.");
    std::string expected_key = expected_public_key(
        context, zone_id, csr_id, key,
        {csr_not_found, key_unparsable, "A custom_key or a custom_csr_id is required with custom_certificate."});
    UploadCheck check{*certificate, expected_key, {hostname}, out.bundle_method == "force"};
    auto verdict = check_upload(context, check);
    if (verdict.problem != crypto::CertificateProblem::none) refuse(verdict, hostname);
    out.status = "active";
    out.custom_csr_id = csr_id;
    out.uploaded_on = rfc3339_seconds(context.now());
    out.certificate = to_stored(verdict, *certificate, csr_id ? std::nullopt : key);
    return out;
}

json hostname_ssl_json(const storage::CustomHostname& h) {
    const storage::HostnameSsl& ssl = *h.ssl;
    json out = {{"id", ssl.id},
                {"type", ssl.type},
                {"method", ssl.method},
                {"status", ssl.status},
                {"bundle_method", ssl.bundle_method},
                {"wildcard", ssl.wildcard},
                {"settings", ssl.settings ? json::parse(*ssl.settings) : json::object()}};
    if (ssl.certificate_authority) out["certificate_authority"] = *ssl.certificate_authority;
    if (ssl.custom_csr_id) out["custom_csr_id"] = *ssl.custom_csr_id;
    if (ssl.certificate) {
        const auto& cert = *ssl.certificate;
        out["issuer"] = cert.issuer;
        out["serial_number"] = cert.serial_number;
        out["signature"] = cert.signature;
        out["expires_on"] = cert.not_after;
        out["hosts"] = cert.hosts;
        if (ssl.uploaded_on) out["uploaded_on"] = *ssl.uploaded_on;
    } else if (ssl.dcv_token) {
        // Where the customer would prove control for a Cloudflare-managed certificate.
        std::string name = base_name(h.hostname);
        json record = {{"status", "pending"}};
        if (ssl.method == "http") {
            record["http_url"] = "http://" + name + "/.well-known/pki-validation/" + *ssl.dcv_token + ".txt";
            record["http_body"] = *ssl.dcv_token;
        } else if (ssl.method == "txt") {
            record["txt_name"] = "_acme-challenge." + name;
            record["txt_value"] = *ssl.dcv_token;
        } else {
            record["emails"] = {"administrator@" + name, "webmaster@" + name, "admin@" + name, "hostmaster@" + name,
                                "postmaster@" + name};
        }
        out["validation_records"] = json::array({record});
    }
    return out;
}

}  // namespace api
