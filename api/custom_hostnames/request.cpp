#include "api/custom_hostnames/request.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/dcv_records.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/name_rules.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace hostname_errors;
using nlohmann::json;

std::string read_hostname(const json& body) {
    auto hostname = string_field(body, "hostname", body_undecodable);
    if (!hostname) throw ApiError(hostname_invalid);
    require_dns_name(*hostname, {hostname_invalid, hostname_non_ascii, hostname_reserved_tld, hostname_unparsable,
                                 hostname_example_domain});
    return lowercase(*hostname);
}

std::string read_origin_server(const std::string& origin) {
    if (origin.find('*') != std::string::npos) throw ApiError(origin_wildcard);
    require_dns_name(origin,
                     {origin_invalid, origin_non_ascii, origin_reserved_tld, origin_unparsable, origin_example_domain},
                     NameRules{.allow_wildcard = false});
    return lowercase(origin);
}

// custom_metadata: an object of string values (Cloudflare's custom_metadata schema).
std::optional<std::string> read_metadata(const json& body, const std::string& hostname) {
    auto it = body.find("custom_metadata");
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_object()) throw ApiError(metadata_unencodable);
    for (const auto& [key, value] : it->items())
        if (!value.is_string()) throw ApiError(metadata_unencodable);
    if (hostname.starts_with("*.")) throw ApiError(metadata_on_wildcard);
    return it->dump();
}

// Cloudflare's value for "send the visitor's Host as the SNI".
constexpr std::string_view request_host_header_sni = ":request_host_header:";

std::optional<std::string> read_origin(const json& body) {
    auto origin = string_field(body, "custom_origin_server", body_undecodable);
    return origin && !origin->empty() ? std::optional(read_origin_server(*origin)) : std::nullopt;
}

// custom_origin_sni: the name sent to the origin in TLS, so a DNS name under the origin server's
// rules and codes (1415-1420), or Cloudflare's placeholder for the visitor's Host header.
std::optional<std::string> read_sni(const json& body) {
    auto sni = string_field(body, "custom_origin_sni", body_undecodable);
    if (!sni || sni->empty()) return std::nullopt;
    if (*sni == request_host_header_sni) return sni;
    try {
        return read_origin_server(*sni);
    } catch (ApiError& e) {
        // The origin server's codes, saying which field broke the rule.
        auto errors = e.errors();
        for (auto& item : errors) item.message += " (custom_origin_sni)";
        throw ApiError(e.status(), std::move(errors), e.headers());
    }
}

// The cipher suites Cloudflare's edge supports for TLS 1.2 and lower, by the BoringSSL names its
// "Supported cipher suites" page lists: what ssl.settings.ciphers may restrict a hostname to
// (the TLS 1.3 suites are not configurable).
const std::initializer_list<std::string_view> documented_ciphers = {
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-RSA-CHACHA20-POLY1305",   "ECDHE-ECDSA-AES128-SHA256",     "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA256",       "ECDHE-RSA-AES128-SHA",          "AES128-GCM-SHA256",
    "AES128-SHA256",                 "AES128-SHA",                    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES256-SHA384",     "ECDHE-RSA-AES256-GCM-SHA384",   "ECDHE-RSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA",          "AES256-GCM-SHA384",             "AES256-SHA256",
    "AES256-SHA",                    "DES-CBC3-SHA"};

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
    if (auto it = settings.find("ciphers"); it != settings.end() && !it->is_null()) {
        const json& ciphers = *it;
        if (!ciphers.is_array()) throw ApiError(ciphers_invalid);
        std::set<std::string> seen;
        for (const auto& c : ciphers) {
            if (!c.is_string() || !one_of(c.get_ref<const std::string&>(), documented_ciphers) ||
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

// The upload's three fields, where a create or edit's ssl object and a pack certificate's
// replacement carry them alike.
void read_upload_fields(const json& object, HostnameSslRequest& out) {
    out.custom_certificate = string_field(object, "custom_certificate", body_undecodable);
    out.custom_key = string_field(object, "custom_key", body_undecodable);
    out.custom_csr_id = string_field(object, "custom_csr_id", body_undecodable);
    if (out.managed()) return;
    if (out.custom_csr_id && !is_uuid(*out.custom_csr_id)) throw ApiError(csr_id_invalid);
    if (!out.custom_certificate || out.custom_certificate->find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError(certificate_empty);
    if (out.custom_csr_id && out.custom_key)
        throw ApiError(ssl_attribute_invalid, "The SSL attribute is invalid: send custom_key or custom_csr_id, not both.");
}

}  // namespace

HostnameSslRequest read_hostname_ssl_request(const json& ssl) {
    for (const char* key : {"method", "type", "bundle_method", "certificate_authority", "custom_certificate",
                            "custom_key", "custom_csr_id"})
        string_field(ssl, key, body_undecodable);
    bool_field(ssl, "cloudflare_branding", body_undecodable);
    if (auto it = ssl.find("custom_cert_bundle"); it != ssl.end() && !it->is_null())
        throw ApiError(ssl_attribute_invalid,
                       "The SSL attribute is invalid: custom_cert_bundle is not supported by csr-emulator; upload one "
                       "certificate with custom_certificate.");

    HostnameSslRequest out;
    out.bundle_method = string_field(ssl, "bundle_method", body_undecodable).value_or("ubiquitous");
    if (!one_of(out.bundle_method, {"ubiquitous", "optimal", "force"})) throw ApiError(bundle_method_invalid);
    auto wildcard = bool_field(ssl, "wildcard", body_undecodable);
    out.wildcard = wildcard.value_or(false);
    out.wildcard_given = wildcard.has_value();
    out.certificate_authority = string_field(ssl, "certificate_authority", body_undecodable);
    if (out.certificate_authority && out.certificate_authority->empty()) out.certificate_authority.reset();
    if (out.certificate_authority && !one_of(*out.certificate_authority, {"digicert", "google", "lets_encrypt", "ssl_com"}))
        throw ApiError(ssl_attribute_invalid, "The SSL attribute is invalid: unknown certificate_authority.");
    if (const json* settings = object_field(ssl, "settings", body_undecodable)) out.settings = read_settings(*settings).dump();

    auto method = string_field(ssl, "method", body_undecodable);
    auto type = string_field(ssl, "type", body_undecodable);
    if (method.has_value() != type.has_value()) throw ApiError(method_and_type_required);
    if (method && !one_of(*method, {"http", "txt", "email"})) throw ApiError(method_unsupported);
    if (type && *type != "dv") throw ApiError(type_unsupported);
    out.method = method.value_or("http");
    out.method_given = method.has_value();

    read_upload_fields(ssl, out);
    return out;
}

HostnameSslRequest read_certificate_replacement(const json& body) {
    HostnameSslRequest out;
    read_upload_fields(body, out);
    // Nothing to upload: the replacement's certificate is missing.
    if (out.managed()) throw ApiError(certificate_empty);
    return out;
}

void require_txt_for_wildcard(const std::string& hostname, const HostnameSslRequest& ssl) {
    if (!ssl.managed() || ssl.method == "txt" || !txt_only(hostname, ssl.wildcard)) return;
    throw ApiError(wildcard_managed, std::string(wildcard_managed.message) +
                                         " A wildcard certificate is validated by TXT only: send ssl.method \"txt\".");
}

void require_origin_for_sni(const std::optional<std::string>& origin_server, const std::optional<std::string>& sni) {
    // The schema: the SNI is "not configurable with default/fallback origin server".
    if (sni && !origin_server)
        throw ApiError(origin_invalid, "custom_origin_sni is not configurable with the fallback origin: set "
                                       "custom_origin_server too. Check your input and try again.");
}

CustomHostnameRequest read_custom_hostname_request(const json& body) {
    CustomHostnameRequest out;
    out.hostname = read_hostname(body);
    out.custom_metadata = read_metadata(body, out.hostname);
    out.custom_origin_server = read_origin(body);
    out.custom_origin_sni = read_sni(body);
    require_origin_for_sni(out.custom_origin_server, out.custom_origin_sni);
    if (const json* ssl = object_field(body, "ssl", body_undecodable)) {
        out.ssl = read_hostname_ssl_request(*ssl);
        require_txt_for_wildcard(out.hostname, *out.ssl);
    }
    return out;
}

CustomHostnameEdit read_custom_hostname_edit(const json& body, const std::string& hostname) {
    if (auto sent = string_field(body, "hostname", body_undecodable); sent && lowercase(*sent) != hostname)
        throw ApiError(modify_unsupported);
    CustomHostnameEdit out;
    if (body.contains("custom_metadata")) out.custom_metadata.emplace(read_metadata(body, hostname));
    if (body.contains("custom_origin_server")) out.custom_origin_server.emplace(read_origin(body));
    if (body.contains("custom_origin_sni")) out.custom_origin_sni.emplace(read_sni(body));
    // The new ssl object replaces the old one: a renewed certificate for the same CSR, another
    // CSR, a DCV method. null is no ssl sent: it never drops the hostname's certificate.
    if (const json* ssl = object_field(body, "ssl", body_undecodable)) out.ssl = read_hostname_ssl_request(*ssl);
    return out;
}

}  // namespace api
