#include "api/edge/hostname_lookup.hpp"

#include <algorithm>

#include "crypto/certificate.hpp"

namespace api::edge {

std::string normalize_host(std::string_view host) {
    std::string name(host);
    if (!name.empty() && name.front() == '[') return name;  // an IP literal names no hostname
    if (auto colon = name.rfind(':'); colon != std::string::npos) name.resize(colon);
    if (!name.empty() && name.back() == '.') name.pop_back();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return name;
}

std::vector<storage::EdgeHostname> hostnames_covering(storage::EdgeRepository& repository, const std::string& name) {
    std::vector<std::string> names{name};
    if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) names.push_back("*" + name.substr(dot));
    auto rows = repository.hostnames_named(names);
    // The wildcard form is only a candidate; RFC 6125's rules (one label, enough labels) decide.
    std::erase_if(rows, [&](const storage::EdgeHostname& h) { return !crypto::name_covered({h.hostname}, name); });
    std::stable_partition(rows.begin(), rows.end(), [&](const storage::EdgeHostname& h) { return h.hostname == name; });
    return rows;
}

bool is_live(const storage::EdgeHostname& hostname) {
    if (hostname.status != "active" || !hostname.ssl_status) return false;
    if (*hostname.ssl_status == "active") return true;
    // A DV certificate renewing or re-issued (a CA change): its previous pair, still valid, is
    // served until the new one is active (Cloudflare replaces a certificate only once its successor is deployed). An expired
    // certificate is never served.
    const std::string& status = *hostname.ssl_status;
    return !hostname.uploaded && !hostname.certificates.empty() &&
           (status == "initializing" || status == "pending_validation" || status == "pending_issuance" ||
            status == "pending_deployment");
}

std::optional<storage::EdgeHostname> live_hostname(storage::EdgeRepository& repository, const std::string& name) {
    for (auto& row : hostnames_covering(repository, name))
        if (is_live(row)) return std::move(row);
    return std::nullopt;
}

}  // namespace api::edge
