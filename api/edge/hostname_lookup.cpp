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

CoveringRows hostnames_covering(storage::EdgeRepository& repository, const std::string& name) {
    std::vector<std::string> names{name};
    if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) names.push_back("*" + name.substr(dot));
    CoveringRows out{repository.shared_hostnames_named(names), {}};
    out.covering.reserve(out.rows->size());
    // The wildcard form is only a candidate; RFC 6125's rules (one label, enough labels) decide.
    for (const auto& row : *out.rows)
        if (row.hostname == name || crypto::name_covered({row.hostname}, name)) out.covering.push_back(&row);
    std::stable_partition(out.covering.begin(), out.covering.end(),
                          [&](const storage::EdgeHostname* h) { return h->hostname == name; });
    return out;
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

LiveHostname live_hostname(storage::EdgeRepository& repository, const std::string& name) {
    auto found = hostnames_covering(repository, name);
    for (const auto* row : found.covering)
        if (is_live(*row)) return {std::move(found.rows), row};
    return {};
}

}  // namespace api::edge
