#include "api/certificate_upload.hpp"

#include <chrono>

#include "api/time_text.hpp"
#include "crypto/csr.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"

namespace api {

crypto::CertificateVerdict check_upload(const Context& context, const UploadCheck& check) {
    crypto::CertificateCheck request;
    request.chain_pem = check.chain_pem;
    request.expected_public_key_pem = check.expected_public_key_pem;
    request.hostnames = check.hostnames;
    request.skip_trust = check.skip_trust;
    request.min_rsa_bits = upload_min_rsa_bits;
    request.min_ec_bits = upload_min_ec_bits;
    request.min_remaining_seconds = upload_min_remaining_seconds;
    request.now = std::chrono::duration_cast<std::chrono::seconds>(context.now().time_since_epoch()).count();
    auto verdict = crypto::check_certificate(request, *context.trust);
    describe_validity(verdict);
    return verdict;
}

void describe_validity(crypto::CertificateVerdict& verdict) {
    if (!verdict.leaf) return;
    auto text = [](std::int64_t seconds) { return rfc3339_seconds(from_unix_seconds(seconds)); };
    using P = crypto::CertificateProblem;
    switch (verdict.problem) {
        case P::expired: verdict.detail = "certificate expired at " + text(verdict.leaf->not_after); break;
        case P::not_yet_valid: verdict.detail = "certificate is valid from " + text(verdict.leaf->not_before); break;
        case P::expires_soon: verdict.detail = "certificate expires at " + text(verdict.leaf->not_after); break;
        default: break;
    }
}

storage::StoredCertificate to_stored(const crypto::CertificateVerdict& verdict, const std::string& chain_pem,
                                     const std::optional<std::string>& private_key_pem) {
    const crypto::CertificateDetails& leaf = *verdict.leaf;
    storage::StoredCertificate stored;
    stored.chain_pem = chain_pem;
    stored.private_key_pem = private_key_pem;
    stored.issuer = leaf.issuer;
    stored.serial_number = leaf.serial_number;
    stored.signature = leaf.signature;
    stored.fingerprint_sha256 = leaf.fingerprint_sha256;
    stored.not_before = rfc3339_seconds(from_unix_seconds(leaf.not_before));
    stored.not_after = rfc3339_seconds(from_unix_seconds(leaf.not_after));
    stored.hosts = leaf.dns_names;
    return stored;
}

std::string expected_public_key(Context& context, const std::string& zone_id, const std::optional<std::string>& csr_id,
                                const std::optional<std::string>& private_key, const KeyErrors& errors) {
    if (csr_id) {
        auto csr = context.csrs.find(storage::Scope::zone, zone_id, *csr_id);
        if (!csr) throw ApiError(errors.csr_not_found);
        return crypto::inspect_csr(csr->csr_pem).public_key_pem;
    }
    if (!private_key) throw ApiError(errors.key_unusable, std::string(errors.key_missing_message));
    try {
        return crypto::public_key_of_private_key(*private_key);
    } catch (const crypto::Error&) {
        throw ApiError(errors.key_unusable);
    }
}

}  // namespace api
