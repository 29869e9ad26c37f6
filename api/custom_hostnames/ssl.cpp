#include "api/custom_hostnames/ssl.hpp"

#include <nlohmann/json.hpp>

#include "api/certificate_upload.hpp"
#include "api/custom_hostnames/dcv_records.hpp"
#include "api/errors_catalogue.hpp"
#include "api/stored_json.hpp"
#include "api/time_text.hpp"
#include "crypto/certificate.hpp"

namespace api {
namespace {

using namespace hostname_errors;
using nlohmann::json;

// The certificate problems in the hostname service's codes.
[[noreturn]] void refuse(const crypto::CertificateVerdict& verdict, const std::string& hostname) {
    using P = crypto::CertificateProblem;
    auto with_detail = [&](const ErrorSpec& spec) {
        std::string message(spec.message);
        if (!verdict.detail.empty()) message += " (" + verdict.detail + ")";
        return ApiError(spec, message);
    };
    switch (verdict.problem) {
        case P::empty: throw ApiError(certificate_empty);
        case P::unparsable: throw with_detail(certificate_unparsable);
        case P::no_leaf: throw ApiError(no_leaf);
        case P::multiple_leaves: throw ApiError(multiple_leaves);
        case P::unsupported_signature: throw with_detail(signature_unsupported);
        // The hostname service documents no code for a key under Cloudflare's minimum size; 1434 is
        // its code for an ssl attribute it refuses.
        case P::weak_key: throw with_detail(ssl_attribute_invalid);
        // An expired, not yet valid or soon-expiring certificate cannot be bundled either;
        // Cloudflare documents no code of its own for them in this service (1206 belongs to
        // custom certificates), so they share 1441 with the reason in the message.
        case P::expires_soon:
        case P::expired:
        case P::not_yet_valid:
        case P::untrusted: throw with_detail(untrusted);
        case P::key_mismatch: throw ApiError(key_mismatch);
        case P::hostname_not_covered: throw ApiError(hostname_not_covered, fill(hostname_not_covered.message, hostname));
        case P::none: break;
    }
    throw ApiError(gateway_errors::internal);
}

}  // namespace

storage::StoredCertificate check_hostname_upload(Context& context, const std::string& zone_id,
                                                 const std::string& hostname, const HostnameSslRequest& ssl) {
    std::string expected_key = expected_public_key(
        context, zone_id, ssl.custom_csr_id, ssl.custom_key,
        {csr_not_found, key_unparsable, "A custom_key or a custom_csr_id is required with custom_certificate."});
    const std::string& certificate = *ssl.custom_certificate;
    auto verdict = check_upload(context, UploadCheck{certificate, expected_key, {hostname}, ssl.bundle_method == "force"});
    if (verdict.problem != crypto::CertificateProblem::none) refuse(verdict, hostname);
    return to_stored(verdict, certificate, ssl.custom_csr_id ? std::nullopt : ssl.custom_key);
}

storage::HostnameSsl make_hostname_ssl(Context& context, const std::string& zone_id, const std::string& hostname,
                                       const HostnameSslRequest& ssl) {
    storage::HostnameSsl out;
    out.id = context.new_id();
    out.type = "dv";
    out.method = ssl.method;
    out.bundle_method = ssl.bundle_method;
    out.wildcard = ssl.wildcard;
    out.certificate_authority = ssl.certificate_authority;
    out.settings = ssl.settings;
    if (ssl.managed()) {
        // The lifecycle (hostname_state.hpp) sets the status it starts in. The CA is named from
        // the start, as Cloudflare's create answer does: the one asked for, else the default.
        if (!out.certificate_authority) out.certificate_authority = default_certificate_authority;
        out.status = "initializing";
        out.dcv_token = dcv_token_from_id(context.new_id());
        return out;
    }
    out.certificate = check_hostname_upload(context, zone_id, hostname, ssl);
    out.certificate_id = context.new_id();
    out.status = "pending_deployment";
    out.custom_csr_id = ssl.custom_csr_id;
    out.uploaded_on = rfc3339_seconds(context.now());
    return out;
}

}  // namespace api
