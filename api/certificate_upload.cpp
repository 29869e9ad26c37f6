#include "api/certificate_upload.hpp"

#include <chrono>

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
    return crypto::check_certificate(request, *context.trust);
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
    stored.not_before = unix_to_rfc3339(leaf.not_before);
    stored.not_after = unix_to_rfc3339(leaf.not_after);
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

std::string unix_to_rfc3339(std::int64_t seconds) {
    return rfc3339_seconds(TimePoint(std::chrono::seconds(seconds)));
}

}  // namespace api
