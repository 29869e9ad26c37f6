#include "api/custom_certificates/json.hpp"

namespace api {

void write_custom_certificate(JsonWriter& out, const storage::CustomCertificate& c, const std::string& now) {
    out.begin_object().key("bundle_method").string(c.bundle_method);
    if (c.custom_csr_id) out.key("custom_csr_id").string(*c.custom_csr_id);
    out.key("deploy").string(c.deploy).key("expires_on").string(c.certificate.not_after);
    if (c.geo_restrictions) out.key("geo_restrictions").begin_object().key("label").string(*c.geo_restrictions).end_object();
    out.key("hosts").strings(c.certificate.hosts)
        .key("id").string(c.id)
        .key("issuer").string(c.certificate.issuer)
        .key("modified_on").string(c.modified_on);
    if (c.policy) out.key("policy_restrictions").string(*c.policy);
    // Cloudflare's status follows the clock: expired from the notAfter second on (the list's
    // status filter compares the same way).
    out.key("priority").number(c.priority)
        .key("signature").string(c.certificate.signature)
        .key("status").string(c.certificate.not_after <= now ? "expired" : "active")
        .key("uploaded_on").string(c.uploaded_on)
        .key("zone_id").string(c.zone_id)
        .end_object();
}

}  // namespace api
