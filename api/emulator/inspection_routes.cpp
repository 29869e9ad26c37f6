#include "api/emulator/inspection_routes.hpp"

#include <algorithm>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/custom_hostnames/hostname_json.hpp"
#include "api/emulator/control_errors.hpp"
#include "api/envelope.hpp"
#include "api/identifiers.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"
#include "crypto/csr.hpp"
#include "crypto/error.hpp"
#include "storage/state_repository.hpp"

namespace api::emulator {
namespace {

using nlohmann::json;

Response timeline(const Request& request, Context& context) {
    const std::string& id = request.param("custom_hostname_id");
    auto hostname = is_uuid(id) ? context.hostnames.find(request.param("zone_id"), id) : std::nullopt;
    if (!hostname) throw ApiError(control_item_not_found, "no custom hostname " + id + " in this zone");
    json changes = json::array();
    for (const auto& change : context.hostnames.history(id))
        changes.push_back({{"verification", change.verification}, {"status", change.status}, {"at", change.at}});
    return success({{"custom_hostname", custom_hostname_json(*hostname, context.log)}, {"timeline", changes}});
}

Response decoded(const Request& request, Context& context, storage::Scope scope, std::string_view owner) {
    const std::string& id = request.param("custom_csr_id");
    auto csr = is_uuid(id) ? context.csrs.find(scope, request.param(owner), id) : std::nullopt;
    if (!csr) throw ApiError(control_item_not_found, "no custom CSR " + id + " here");
    auto details = crypto::inspect_csr(csr->csr_pem);
    const auto& s = details.subject;
    std::string subject = "C=" + s.country + ", ST=" + s.state + ", L=" + s.locality + ", O=" + s.organization +
                          (s.organizational_unit ? ", OU=" + *s.organizational_unit : "") + ", CN=" + s.common_name;
    return success({{"id", id},
                    {"subject", subject},
                    {"sans", details.dns_sans},
                    {"key_type", details.key_description},
                    {"signature_algorithm", details.signature_algorithm},
                    {"signature_valid", details.signature_valid},
                    {"public_key", details.public_key_pem}});
}

// The leaf of a stored chain as the certificates view lists it; null when the text holds none.
json leaf_json(const std::string& kind, const std::string& owner, const std::string& zone_id, const std::string& pem) {
    std::vector<crypto::CertificateDetails> chain;
    try {
        chain = crypto::parse_certificates(pem);
    } catch (const crypto::Error&) {
        return nullptr;  // a seeded row may hold any text; the view lists what parses
    }
    const auto& leaf = chain.front();
    return {{"kind", kind},
            {"owner", owner},
            {"zone_id", zone_id},
            {"subject", leaf.subject_common_name},
            {"hosts", leaf.dns_names},
            {"issuer", leaf.issuer},
            {"serial_number", leaf.serial_number},
            {"not_before", rfc3339_seconds(from_unix_seconds(leaf.not_before))},
            {"not_after", rfc3339_seconds(from_unix_seconds(leaf.not_after))}};
}

// Every certificate the emulator holds, read from its chain: custom certificates, the uploaded
// and the DV certificates of custom hostnames, Origin CA certificates and the test CA's own.
Response certificates(const Request&, Context& context) {
    json out = json::array();
    auto add = [&out](json entry) {
        if (!entry.is_null()) out.push_back(std::move(entry));
    };
    auto snapshot = storage::StateRepository(context.db).snapshot();
    for (const auto& table : snapshot.rows) {
        auto column = [&table](std::string_view name) {
            auto at = std::find(table.columns.begin(), table.columns.end(), name);
            return at == table.columns.end() ? -1 : static_cast<int>(at - table.columns.begin());
        };
        auto text = [](const std::vector<storage::Value>& row, int index) {
            const auto* value = index < 0 ? nullptr : std::get_if<std::string>(&row[static_cast<std::size_t>(index)]);
            return value ? *value : std::string();
        };
        const int id = column("id"), zone = column("zone_id"), chain = column("cert_chain_pem");
        for (const auto& row : table.rows) {
            if (table.table == "custom_certificates")
                add(leaf_json("custom_certificate", text(row, id), text(row, zone), text(row, chain)));
            if (table.table == "custom_hostnames") {
                auto name = text(row, column("hostname"));
                if (auto uploaded = text(row, chain); !uploaded.empty())
                    add(leaf_json("custom_hostname_uploaded", name, text(row, zone), uploaded));
                for (const char* dv : {"dv_ecdsa_chain_pem", "dv_rsa_chain_pem"})
                    if (auto issued = text(row, column(dv)); !issued.empty())
                        add(leaf_json("custom_hostname_dv", name, text(row, zone), issued));
            }
            if (table.table == "origin_ca_certificates" && text(row, column("revoked_at")).empty())
                add(leaf_json("origin_ca", text(row, id), "", text(row, column("certificate_pem"))));
        }
    }
    add(leaf_json("test_ca", "root", "", context.emulator_ca.root_certificate_pem));
    add(leaf_json("test_ca", "intermediate", "", context.emulator_ca.intermediate_certificate_pem));
    return success(std::move(out));
}

}  // namespace

void add_inspection_routes(Router& router) {
    router.add("GET", "/_emulator/certificates", certificates, Surface::emulator);
    router.add("GET", "/_emulator/zones/{zone_id}/custom_hostnames/{custom_hostname_id}/timeline", timeline,
               Surface::emulator);
    router.add(
        "GET", "/_emulator/zones/{zone_id}/custom_csrs/{custom_csr_id}/decoded",
        [](const Request& r, Context& c) { return decoded(r, c, storage::Scope::zone, "zone_id"); }, Surface::emulator);
    router.add(
        "GET", "/_emulator/accounts/{account_id}/custom_csrs/{custom_csr_id}/decoded",
        [](const Request& r, Context& c) { return decoded(r, c, storage::Scope::account, "account_id"); },
        Surface::emulator);
}

}  // namespace api::emulator
