#include "crypto/dv_issuance.hpp"

#include <openssl/pem.h>

#include "crypto/certificate.hpp"
#include "crypto/detail/certificate_building.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/ossl.hpp"
#include "crypto/detail/pkey.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"

namespace crypto {
namespace {

// The leaf's subject is CN = the first name, and every name is a SAN; signed straight from the
// key the emulator holds (a CSR between them cost a signature, a verification and two PEM
// round trips per certificate: a third of a mass renewal's CPU). `key_pem`: the key as stored,
// when the key was read from it (a renewal), so it is not encoded again.
IssuedCertificate issue(const CaMaterial& ca, const std::vector<std::string>& names, std::int64_t now,
                        const detail::Pkey& key, const std::string& key_pem,
                        std::int64_t lifetime_seconds = dv_lifetime_seconds) {
    IssuedCertificate out;
    out.private_key_pem = key_pem.empty() ? detail::private_key_pem(key.get()) : key_pem;
    auto subject = detail::common_name(names.front());
    out.chain_pem = detail::sign_leaf(ca, subject.get(), key.get(), names,
                                      SignOptions{.not_before = now, .not_after = now + lifetime_seconds});
    CertificateDetails leaf = parse_certificates(out.chain_pem).front();
    out.issuer = leaf.issuer;
    out.serial_number = leaf.serial_number;
    out.signature = leaf.signature;
    out.not_before = leaf.not_before;
    out.not_after = leaf.not_after;
    out.hosts = leaf.dns_names;
    out.fingerprint_sha256 = leaf.fingerprint_sha256;
    return out;
}

}  // namespace

DvCertificates issue_dv_certificates(const CaMaterial& ca, const std::string& hostname, std::int64_t now) {
    auto ecdsa = detail::generate_key(KeyType::p256v1);
    auto rsa = detail::generate_key(KeyType::rsa2048);
    return {issue(ca, {hostname}, now, ecdsa, ""), issue(ca, {hostname}, now, rsa, "")};
}

DvCertificates issue_dv_certificates(const CaMaterial& ca, const std::string& hostname, std::int64_t now,
                                     const std::string& ecdsa_key_pem, const std::string& rsa_key_pem) {
    return issue_dv_certificates(ca, std::vector<std::string>{hostname}, now, ecdsa_key_pem, rsa_key_pem);
}

DvCertificates issue_dv_certificates(const CaMaterial& ca, const std::vector<std::string>& names, std::int64_t now,
                                     const std::string& ecdsa_key_pem, const std::string& rsa_key_pem,
                                     std::int64_t lifetime_seconds) {
    if (names.empty()) throw Error("DV certificate: no name to issue for");
    auto ecdsa = detail::read_private_key(ecdsa_key_pem);
    auto rsa = detail::read_private_key(rsa_key_pem);
    detail::clear_errors();
    if (detail::key_type(ecdsa.get()) != KeyType::p256v1) throw Error("DV ECDSA key: not a P-256 key");
    if (detail::key_type(rsa.get()) != KeyType::rsa2048) throw Error("DV RSA key: not an RSA-2048 key");
    return {issue(ca, names, now, ecdsa, ecdsa_key_pem, lifetime_seconds),
            issue(ca, names, now, rsa, rsa_key_pem, lifetime_seconds)};
}

}  // namespace crypto
