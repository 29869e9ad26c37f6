// /zones/{zone_id}/custom_certificates: upload (with a custom CSR id or a private key), list,
// get, edit, delete, prioritize.
#include <nlohmann/json.hpp>

#include "api/certificate_upload.hpp"
#include "api/custom_certificates/json.hpp"
#include "api/custom_certificates/request.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/paging.hpp"
#include "api/routes.hpp"
#include "api/text.hpp"

namespace api {
namespace {

using namespace certificate_errors;
using nlohmann::json;

// The certificate problems in the custom certificate service's codes.
[[noreturn]] void refuse(const crypto::CertificateVerdict& verdict) {
    using P = crypto::CertificateProblem;
    auto with_detail = [&](const ErrorSpec& spec, const std::string& extra = {}) {
        std::string message(spec.message);
        std::string detail = extra.empty() ? verdict.detail : extra;
        if (!detail.empty()) message += " (" + detail + ")";
        return ApiError(spec, message);
    };
    switch (verdict.problem) {
        case P::empty: throw with_detail(invalid, "the certificate is empty");
        case P::unparsable: throw with_detail(invalid);
        case P::multiple_leaves: throw with_detail(invalid, "the chain has more than one leaf certificate");
        case P::unsupported_signature: throw with_detail(invalid, "unsupported signature algorithm " + (verdict.leaf ? verdict.leaf->signature : std::string()));
        case P::no_leaf: throw ApiError(no_leaf);
        // No key-size code is documented; 1002 is the service's "invalid certificate".
        case P::weak_key: throw with_detail(invalid);
        case P::expires_soon: throw with_detail(expires_soon);
        case P::expired:
        case P::not_yet_valid:
        case P::untrusted: throw with_detail(untrusted);
        case P::key_mismatch: throw ApiError(key_mismatch);
        case P::hostname_not_covered:
        case P::none: break;
    }
    throw ApiError(gateway_errors::internal);
}

const std::string& certificate_id(const Request& request) {
    const std::string& id = request.param("custom_certificate_id");
    if (!is_uuid(id)) throw ApiError(id_invalid);
    return id;
}

std::string now_text(Context& context) { return rfc3339_seconds(context.now()); }

Response one_certificate(const storage::CustomCertificate& c, const std::string& now, int status = 200) {
    SuccessBody body;
    JsonWriter out(body.out());
    write_custom_certificate(out, c, now);
    return body.finish(status);
}

// The settings a create or an edit carries; absent fields keep their value.
void apply_settings(const CertificateSettings& settings, storage::CustomCertificate& c) {
    if (settings.bundle_method) c.bundle_method = *settings.bundle_method;
    if (settings.deploy) c.deploy = *settings.deploy;
    if (settings.geo_restrictions) c.geo_restrictions = *settings.geo_restrictions;
    if (settings.policy) c.policy = *settings.policy;
}

// Checks the certificate against the CSR's key or the private key, and the trust store unless
// bundle_method is force; fills c.certificate. Both the create and the edit end here.
void check_and_store_certificate(Context& context, storage::CustomCertificate& c, const std::string& chain_pem,
                                 const std::optional<std::string>& private_key) {
    std::string expected_key =
        expected_public_key(context, c.zone_id, c.custom_csr_id, private_key,
                            {csr_errors::not_found, key_invalid, "A private_key or a custom_csr_id is required with the certificate."});
    auto verdict = check_upload(context, UploadCheck{chain_pem, expected_key, {}, c.bundle_method == "force"});
    if (verdict.problem != crypto::CertificateProblem::none) refuse(verdict);
    c.certificate = to_stored(verdict, chain_pem, c.custom_csr_id ? std::nullopt : private_key);
}

void check_write(storage::WriteResult result) {
    switch (result) {
        case storage::WriteResult::ok: return;
        case storage::WriteResult::csr_not_found: throw ApiError(csr_errors::not_found);
        case storage::WriteResult::duplicate_certificate: throw ApiError(already_submitted);
        case storage::WriteResult::not_found: throw ApiError(not_found);  // deleted meanwhile (edit)
        case storage::WriteResult::duplicate_hostname: break;  // a hostname-only result
    }
    throw ApiError(gateway_errors::internal);
}

Response create(const Request& request, Context& context) {
    CustomCertificateRequest input = read_custom_certificate_request(parse_object_body(request, body_undecodable));
    storage::CustomCertificate c;
    c.id = context.new_id();
    c.zone_id = request.param("zone_id");
    // --certificate-quota: counted before the insert (see the hostname quota).
    if (context.certificate_quota &&
        context.certificates.list(c.zone_id, 1, 1, std::nullopt, now_text(context)).total_count >= *context.certificate_quota)
        throw ApiError(quota_reached);
    c.type = input.type;
    c.bundle_method = "ubiquitous";
    c.deploy = "production";
    apply_settings(input.settings, c);
    c.custom_csr_id = input.custom_csr_id;
    c.priority = input.priority;
    c.uploaded_on = c.modified_on = now_text(context);
    check_and_store_certificate(context, c, input.certificate.value_or(""), input.private_key);
    check_write(context.certificates.insert(c));
    return one_certificate(c, now_text(context));
}

Response edit(const Request& request, Context& context) {
    const std::string& zone_id = request.param("zone_id");
    const std::string& id = certificate_id(request);
    json body = parse_object_body(request, body_undecodable);
    auto c = context.certificates.find(zone_id, id);
    if (!c) throw ApiError(not_found);
    CustomCertificateEdit input = read_custom_certificate_edit(body);
    apply_settings(input.settings, *c);
    std::string certificate = input.certificate.value_or(c->certificate.chain_pem);
    std::optional<std::string> private_key = input.private_key;
    if (input.custom_csr_id) {
        c->custom_csr_id = input.custom_csr_id;
    } else if (private_key) {
        c->custom_csr_id.reset();  // a key replaces the CSR the certificate was tied to
    }
    if (!private_key && !c->custom_csr_id) private_key = c->certificate.private_key_pem;
    c->modified_on = now_text(context);
    check_and_store_certificate(context, *c, certificate, private_key);
    // An sni_custom configuration gets a new id on every edit; the previous one is gone.
    if (c->type == "sni_custom") c->id = context.new_id();
    check_write(context.certificates.replace(id, *c));
    return one_certificate(*c, now_text(context));
}

Response get(const Request& request, Context& context) {
    auto c = context.certificates.find(request.param("zone_id"), certificate_id(request));
    if (!c) throw ApiError(not_found);
    return one_certificate(*c, now_text(context));
}

Response remove(const Request& request, Context& context) {
    const std::string& id = certificate_id(request);
    if (!context.certificates.remove(request.param("zone_id"), id)) throw ApiError(not_found);
    return success({{"id", id}});
}

Response list_page(Context& context, const std::string& zone_id, const Paging& paging, std::optional<bool> expired,
                   bool nothing) {
    std::string now = now_text(context);
    storage::CertificatePage page;
    if (!nothing) page = context.certificates.list(zone_id, paging.page, paging.per_page, expired, now);
    SuccessBody body(page.items.size() * 600);
    JsonWriter out(body.out());
    out.begin_array();
    for (const auto& c : page.items) write_custom_certificate(out, c, now);
    out.end_array();
    return body.finish_list(page_info(paging, page.items.size(), page.total_count));
}

Response list(const Request& request, Context& context) {
    Query query(request.query);
    Paging paging = read_paging(query, 20, body_undecodable);
    auto match = query.get("match").value_or("all");
    if (match != "any" && match != "all") throw ApiError(body_undecodable, "Invalid value for 'match': expected any or all.");
    std::optional<bool> expired;
    bool nothing = false;  // statuses the emulator never has (deleted, pending, initializing)
    if (auto status = query.get("status")) {
        if (*status == "active") expired = false;
        else if (*status == "expired") expired = true;
        else if (one_of(*status, {"deleted", "pending", "initializing"})) nothing = true;
        else throw ApiError(body_undecodable, "Invalid value for 'status'.");
    }
    return list_page(context, request.param("zone_id"), paging, expired, nothing);
}

Response prioritize(const Request& request, Context& context) {
    const std::string& zone_id = request.param("zone_id");
    json body = parse_object_body(request, body_undecodable);
    if (!body.contains("certificates") || !body["certificates"].is_array())
        throw ApiError(body_undecodable, "Unable to decode the JSON request body ('certificates' must be an array).");
    std::vector<std::pair<std::string, std::int64_t>> priorities;
    for (const auto& item : body["certificates"]) {
        if (!item.is_object()) throw ApiError(body_undecodable);
        auto id = string_field(item, "id", body_undecodable);
        auto priority = integer_field(item, "priority", body_undecodable);
        if (!id || !is_uuid(*id)) throw ApiError(id_invalid);
        if (!priority)
            throw ApiError(attribute_invalid,
                           std::string(attribute_invalid.message) + " priority is required for every certificate.");
        if (!context.certificates.find(zone_id, *id)) throw ApiError(not_found);
        priorities.emplace_back(*id, *priority);
    }
    context.certificates.set_priorities(zone_id, priorities, now_text(context));
    return list_page(context, zone_id, Paging{1, 50}, std::nullopt, false);
}

}  // namespace

void add_custom_certificate_routes(Router& router) {
    const std::string base = "/zones/{zone_id}/custom_certificates";
    router.add("POST", base, create);
    router.add("GET", base, list);
    router.add("PUT", base + "/prioritize", prioritize);
    router.add("GET", base + "/{custom_certificate_id}", get);
    router.add("PATCH", base + "/{custom_certificate_id}", edit);
    router.add("DELETE", base + "/{custom_certificate_id}", remove);
}

}  // namespace api
