#include "api/edge/tls_settings.hpp"

#include <nlohmann/json.hpp>

namespace api::edge {

crypto::TlsPolicy tls_policy(const std::optional<std::string>& settings_json) {
    crypto::TlsPolicy policy;
    if (!settings_json) return policy;
    auto settings = nlohmann::json::parse(*settings_json, nullptr, false);
    if (!settings.is_object()) return policy;
    auto text = [&](const char* key) -> std::string {
        auto it = settings.find(key);
        return it != settings.end() && it->is_string() ? it->get<std::string>() : "";
    };
    auto min = text("min_tls_version");
    if (min == "1.0") policy.min_version = crypto::TlsVersion::tls1_0;
    if (min == "1.1") policy.min_version = crypto::TlsVersion::tls1_1;
    if (min == "1.2") policy.min_version = crypto::TlsVersion::tls1_2;
    if (min == "1.3") policy.min_version = crypto::TlsVersion::tls1_3;
    if (text("tls_1_3") == "off" || text("tls_1_2_only") == "on") policy.allow_tls1_3 = false;
    if (auto it = settings.find("ciphers"); it != settings.end() && it->is_array()) {
        for (const auto& name : *it) {
            if (!name.is_string()) continue;
            if (auto mapped = crypto::openssl_cipher_name(name.get<std::string>()); !mapped.empty())
                policy.ciphers.push_back(mapped);
        }
    }
    return policy;
}

}  // namespace api::edge
