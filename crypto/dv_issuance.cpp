#include "crypto/dv_issuance.hpp"

#include <openssl/pem.h>

#include "crypto/certificate.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/ossl.hpp"
#include "crypto/detail/pkey.hpp"
#include "crypto/error.hpp"
#include "crypto/keys.hpp"

namespace crypto {
namespace {

// A CSR naming only the certificate's names, so sign_csr gives the leaf a DV subject (CN: the
// first name) and the names as its SANs. crypto::create_csr insists on the full C/ST/L/O subject a
// customer's CSR carries, which a DV certificate does not have.
std::string dv_csr(const std::vector<std::string>& names, EVP_PKEY* key) {
    detail::clear_errors();
    detail::X509Req req(X509_REQ_new());
    detail::check(req != nullptr, "X509_REQ_new");
    detail::X509Name subject(X509_NAME_new());
    detail::check(subject != nullptr, "X509_NAME_new");
    detail::add_name_entry(subject.get(), NID_commonName, names.front());
    detail::check(X509_REQ_set_subject_name(req.get(), subject.get()) == 1, "X509_REQ_set_subject_name");
    detail::check(X509_REQ_set_pubkey(req.get(), key) == 1, "X509_REQ_set_pubkey");
    detail::X509Extensions exts(sk_X509_EXTENSION_new_null());
    detail::check(exts != nullptr, "sk_X509_EXTENSION_new_null");
    detail::X509Extension san = detail::dns_san_extension(names);
    detail::check(sk_X509_EXTENSION_push(exts.get(), san.get()) > 0, "sk_X509_EXTENSION_push");
    san.release();  // the stack owns it now
    detail::check(X509_REQ_add_extensions(req.get(), exts.get()) == 1, "X509_REQ_add_extensions");
    auto digest = detail::fetch_digest("sha256");
    detail::check(X509_REQ_sign(req.get(), key, digest.get()) > 0, "X509_REQ_sign");

    detail::Bio bio(BIO_new(BIO_s_mem()));
    detail::check(bio != nullptr, "BIO_new");
    detail::check(PEM_write_bio_X509_REQ(bio.get(), req.get()) == 1, "PEM_write_bio_X509_REQ");
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

IssuedCertificate issue(const CaMaterial& ca, const std::vector<std::string>& names, std::int64_t now,
                        const detail::Pkey& key, std::int64_t lifetime_seconds = dv_lifetime_seconds) {
    IssuedCertificate out;
    out.private_key_pem = detail::private_key_pem(key.get());
    out.chain_pem = sign_csr(ca, dv_csr(names, key.get()),
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
    return {issue(ca, {hostname}, now, ecdsa), issue(ca, {hostname}, now, rsa)};
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
    return {issue(ca, names, now, ecdsa, lifetime_seconds), issue(ca, names, now, rsa, lifetime_seconds)};
}

}  // namespace crypto
