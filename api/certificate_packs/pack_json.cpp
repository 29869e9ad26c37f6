#include "api/certificate_packs/pack_json.hpp"

#include <nlohmann/json.hpp>

#include "api/certificate_packs/pack_state.hpp"
#include "api/custom_hostnames/dcv_records.hpp"
#include "api/stored_json.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"

namespace api {
namespace {

using nlohmann::json;

void add_unique(json& list, json item) {
    for (const auto& existing : list)
        if (existing == item) return;
    list.push_back(std::move(item));
}

// Cloudflare's DCV delegation: a CNAME of _acme-challenge.<host> to a name under
// dcv.cloudflare.com it answers itself.
json dcv_delegation_records(const storage::CertificatePack& pack) {
    json out = json::array();
    for (const auto& host : pack.hosts) {
        std::string base = record_base_name(host);
        add_unique(out, {{"cname", "_acme-challenge." + base},
                         {"cname_target", base + "." + pack.zone_id + ".dcv.cloudflare.com"},
                         {"status", "pending"}});
    }
    return out;
}

// One served certificate of the pair, as the pack's `certificates` lists it.
json certificate_json(const storage::CertificatePack& pack, const std::string& id, const std::string& chain) {
    auto parsed = crypto::parse_certificates(chain);
    if (parsed.empty()) return nullptr;
    const auto& leaf = parsed.front();
    auto at = [](std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); };
    return {{"id", id},
            {"hosts", leaf.dns_names},
            {"status", pack.status == "expired" ? "expired" : "active"},
            {"issuer", leaf.issuer},
            {"signature", leaf.signature},
            {"serial_number", leaf.serial_number},
            {"uploaded_on", rfc3339_seconds(at(leaf.not_before))},
            {"modified_on", rfc3339_seconds(at(leaf.not_before))},
            {"expires_on", rfc3339_seconds(at(leaf.not_after))},
            {"bundle_method", "ubiquitous"},
            {"priority", 0},
            {"zone_id", pack.zone_id},
            {"fingerprint_sha256", leaf.fingerprint_sha256}};
}

}  // namespace

bool shows_validation_records(const storage::CertificatePack& pack) {
    return pack.status != "initializing" && pack.status != "active" && pack.status != "expired";
}

json pack_validation_records(const storage::CertificatePack& pack) {
    storage::HostnameSsl ssl;
    ssl.method = pack.validation_method;
    ssl.dcv_token = pack.dcv_token;
    json out = json::array();
    for (const auto& host : pack.hosts)
        for (auto& record : validation_records_json(host, ssl)) add_unique(out, std::move(record));
    return out;
}

json certificate_pack_json(const storage::CertificatePack& pack) {
    json out = {{"id", pack.id},
                {"type", pack.type},
                {"hosts", pack.hosts},
                {"status", pack.status},
                {"validation_method", pack.validation_method},
                {"validity_days", pack.validity_days},
                {"certificate_authority", pack.certificate_authority},
                {"cloudflare_branding", pack.cloudflare_branding}};
    json certificates = json::array();
    if (pack.ecdsa_chain_pem && pack.ecdsa_certificate_id)
        if (auto c = certificate_json(pack, *pack.ecdsa_certificate_id, *pack.ecdsa_chain_pem); !c.is_null())
            certificates.push_back(std::move(c));
    if (pack.rsa_chain_pem && pack.rsa_certificate_id)
        if (auto c = certificate_json(pack, *pack.rsa_certificate_id, *pack.rsa_chain_pem); !c.is_null())
            certificates.push_back(std::move(c));
    // The ECDSA certificate is the primary, as for a custom hostname's pair.
    if (!certificates.empty()) out["primary_certificate"] = certificates.front()["id"];
    out["certificates"] = std::move(certificates);
    if (shows_validation_records(pack)) {
        out["validation_records"] = pack_validation_records(pack);
        out["dcv_delegation_records"] = dcv_delegation_records(pack);
    }
    json errors = json::array();
    if (auto stored = read_stored_json(pack.validation_errors, StoredJson::array_of_strings))
        for (const auto& message : *stored) errors.push_back({{"message", message}});
    if (!errors.empty()) out["validation_errors"] = std::move(errors);
    return out;
}

}  // namespace api
