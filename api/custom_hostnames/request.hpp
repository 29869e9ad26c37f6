#pragma once
// Custom hostname create and edit bodies, read from JSON and checked rule by rule with the
// hostname service's codes (Cloudflare's documentation). Pure: no database, no crypto, no ids; the
// upload itself is checked afterwards (ssl.hpp).
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace api {

// The request's "ssl" object.
struct HostnameSslRequest {
    std::string method = "http";  // how a Cloudflare-managed certificate is validated
    bool method_given = false;    // method and type were sent (else `method` is the default)
    std::string bundle_method = "ubiquitous";
    bool wildcard = false;
    bool wildcard_given = false;  // an edit without it keeps the hostname's
    std::optional<std::string> certificate_authority;
    std::optional<std::string> settings;  // the known, non-null ssl.settings as JSON text
    // A customer's certificate, for the key of a custom CSR or with its own key. All three absent:
    // a Cloudflare-managed certificate.
    std::optional<std::string> custom_certificate, custom_key, custom_csr_id;

    bool managed() const { return !custom_certificate && !custom_key && !custom_csr_id; }
};

struct CustomHostnameRequest {
    std::string hostname;                          // lowercase
    std::optional<std::string> custom_metadata;    // the object as JSON text
    std::optional<std::string> custom_origin_server, custom_origin_sni;
    std::optional<HostnameSslRequest> ssl;
};

// An edit changes only what its body carries: the outer optional says "present", the inner one
// holds the new value, absent to clear it (null, or "" for the origin fields).
struct CustomHostnameEdit {
    std::optional<std::optional<std::string>> custom_metadata, custom_origin_server, custom_origin_sni;
    std::optional<HostnameSslRequest> ssl;  // null counts as absent: an edit never drops the certificate
};

// Each throws ApiError with the code of the first rule the body breaks.
CustomHostnameRequest read_custom_hostname_request(const nlohmann::json& body);
// `hostname` is the stored one: an edit cannot change it, and it decides whether metadata is allowed.
CustomHostnameEdit read_custom_hostname_edit(const nlohmann::json& body, const std::string& hostname);
HostnameSslRequest read_hostname_ssl_request(const nlohmann::json& ssl);
// The body of PUT .../certificate_pack/{id}/certificates/{id}: custom_certificate with custom_key
// (what the SDKs send) or with custom_csr_id (the key of a custom CSR, as on create).
HostnameSslRequest read_certificate_replacement(const nlohmann::json& body);
// 1448 unless a Cloudflare-managed certificate of a wildcard (a "*." hostname, or ssl.wildcard)
// is validated by TXT, the only method Cloudflare offers a wildcard.
void require_txt_for_wildcard(const std::string& hostname, const HostnameSslRequest& ssl);
// 1415 for a custom_origin_sni without a custom_origin_server (the SNI of the fallback origin is
// not configurable, Cloudflare's schema says).
void require_origin_for_sni(const std::optional<std::string>& origin_server, const std::optional<std::string>& sni);

}  // namespace api
