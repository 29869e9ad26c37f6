// PUT and DELETE /zones/{zone_id}/custom_hostnames/{id}/certificate_pack/{pack_id}/certificates/{id}:
// the certificates of a custom hostname's pack (the pack is its ssl object, ssl.id). A hostname
// holds one uploaded certificate (bundles are not supported), which PUT replaces like for like;
// the Cloudflare-managed DV pair is neither replaced nor deleted this way.
#include <nlohmann/json.hpp>

#include "api/custom_hostnames/hostname_json.hpp"
#include "api/custom_hostnames/hostname_state.hpp"
#include "api/custom_hostnames/request.hpp"
#include "api/custom_hostnames/ssl.hpp"
#include "api/custom_hostnames/waiting_for_key.hpp"
#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"
#include "api/identifiers.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"

namespace api {
namespace {

using namespace hostname_errors;
using nlohmann::json;

// The hostname, settled as a read would show it, once its pack and certificate ids are known.
storage::CustomHostname find_pack_certificate(const Request& request, Context& context) {
    const std::string& id = request.param("custom_hostname_id");
    if (!is_uuid(id)) throw ApiError(id_invalid);
    auto h = context.hostnames.find(request.param("zone_id"), id);
    if (!h) throw ApiError(not_found);
    settle(context, *h, KeyMiss::wait);
    if (!h->ssl || h->ssl->id != request.param("certificate_pack_id")) throw ApiError(pack_not_found);
    const storage::HostnameSsl& ssl = *h->ssl;
    const std::string& certificate_id = request.param("certificate_id");
    auto is = [&](const std::optional<std::string>& stored) { return stored && *stored == certificate_id; };
    if (ssl.certificate ? is(ssl.certificate_id)
                        : is(ssl.dv_ecdsa_certificate_id) || is(ssl.dv_rsa_certificate_id)) {
        if (!ssl.certificate) throw ApiError(certificate_managed);
        return std::move(*h);
    }
    throw ApiError(pack_certificate_not_found);
}

std::string leaf_key_type(const std::string& chain_pem) {
    auto parsed = crypto::parse_certificates(chain_pem);
    return parsed.empty() ? std::string() : parsed.front().public_key_type;
}

Response replace(const Request& request, Context& context) {
    HostnameSslRequest upload = read_certificate_replacement(parse_object_body(request, body_undecodable));
    storage::CustomHostname h = find_pack_certificate(request, context);
    storage::HostnameSsl& ssl = *h.ssl;
    // The upload rules of a create (trust, key match, the hostname covered, 14 days left), with
    // the bundle method the hostname has.
    upload.bundle_method = ssl.bundle_method;
    storage::StoredCertificate replacement = check_hostname_upload(context, h.zone_id, h.hostname, upload);
    if (leaf_key_type(replacement.chain_pem) != leaf_key_type(ssl.certificate->chain_pem))
        throw ApiError(key_type_changed);
    // The certificate keeps its id (the slot a client names) and the hostname its statuses; the
    // CSR the new one came from, if any, is now the one in use.
    ssl.certificate = std::move(replacement);
    ssl.custom_csr_id = upload.custom_csr_id;
    ssl.uploaded_on = rfc3339_seconds(context.now());
    switch (context.hostnames.update(h)) {
        case storage::WriteResult::ok: break;
        case storage::WriteResult::csr_not_found: throw ApiError(csr_not_found);
        default: throw ApiError(not_found);
    }
    return success(custom_hostname_json(h, context.log));
}

// A hostname's pack holds one uploaded certificate: it is always the last one.
Response refuse_removal(const Request& request, Context& context) {
    find_pack_certificate(request, context);
    throw ApiError(last_certificate);
}

}  // namespace

void add_pack_certificate_routes(Router& router) {
    const std::string path =
        "/zones/{zone_id}/custom_hostnames/{custom_hostname_id}/certificate_pack/{certificate_pack_id}/certificates/"
        "{certificate_id}";
    // A read may settle the hostname into active and issue its DV pair: both wait for a pooled key.
    router.add("PUT", path, waiting_for_rsa_key(replace));
    router.add("DELETE", path, waiting_for_rsa_key(refuse_removal));
}

}  // namespace api
