#include "api/custom_hostnames/dcv_records.hpp"

#include <nlohmann/json.hpp>

#include "api/custom_hostnames/validation_checks.hpp"
#include "api/name_rules.hpp"
#include "crypto/digest.hpp"

namespace api {

std::string record_base_name(const std::string& hostname) {
    return is_wildcard_hostname(hostname) ? hostname.substr(2) : hostname;
}

bool is_wildcard_hostname(const std::string& hostname) { return hostname.starts_with("*."); }

std::string dcv_token_from_id(const std::string& id) {
    std::string hex;
    for (char c : id)
        if (c != '-') hex += c;
    return "ca3-" + hex;
}

std::vector<std::string> certificate_names(const std::string& hostname, bool wildcard) {
    if (!wildcard || is_wildcard_hostname(hostname)) return {hostname};
    return {hostname, "*." + hostname};
}

std::vector<std::string> dcv_txt_values(const std::string& token, const std::string& hostname, bool wildcard) {
    std::vector<std::string> out;
    // One value per name, so the hostname's and its wildcard's records differ as Cloudflare's do.
    for (const auto& name : certificate_names(hostname, wildcard)) out.push_back(crypto::sha256_base64url(token + " " + name));
    return out;
}

bool txt_only(const std::string& hostname, bool wildcard) { return wildcard || is_wildcard_hostname(hostname); }

std::vector<std::string> dcv_emails(const std::string& hostname) {
    std::string domain = registrable_domain(hostname);
    std::vector<std::string> out;
    for (const char* box : {"admin", "administrator", "hostmaster", "postmaster", "webmaster"})
        out.push_back(std::string(box) + "@" + domain);
    return out;
}

nlohmann::json validation_records_json(const std::string& hostname, const storage::HostnameSsl& ssl) {
    using nlohmann::json;
    json records = json::array();
    if (!ssl.dcv_token) return records;
    const std::string& token = *ssl.dcv_token;
    std::string name = record_base_name(hostname);
    if (ssl.method == "txt") {
        for (const auto& value : dcv_txt_values(token, hostname, ssl.wildcard))
            records.push_back({{"status", "pending"}, {"txt_name", dcv_txt_name(name)}, {"txt_value", value}});
    } else if (ssl.method == "http") {
        records.push_back({{"status", "pending"}, {"http_url", dcv_shown_http_url(name, token)}, {"http_body", token}});
    } else {
        records.push_back({{"status", "pending"}, {"emails", dcv_emails(hostname)}});
    }
    return records;
}

}  // namespace api
