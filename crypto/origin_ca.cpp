#include "crypto/origin_ca.hpp"

#include "crypto/detail/certificate_building.hpp"
#include "crypto/detail/certificates.hpp"
#include "crypto/detail/csr_reading.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/pkey.hpp"
#include "crypto/error.hpp"
#include "crypto/random.hpp"

namespace crypto {
namespace {

constexpr std::int64_t backdate = 3600;
constexpr std::int64_t root_lifetime = 7305 * std::int64_t{86400};  // 20 years

detail::X509Name origin_name(const std::string& unit, const std::string& cn) {
    detail::clear_errors();
    detail::X509Name name(X509_NAME_new());
    detail::check(name != nullptr, "X509_NAME_new");
    detail::add_name_entry(name.get(), NID_organizationName, "csr-emulator");
    detail::add_name_entry(name.get(), NID_organizationalUnitName, unit);
    detail::add_name_entry(name.get(), NID_commonName, cn);
    return name;
}

std::string decimal_serial(const X509* cert) {
    detail::clear_errors();
    detail::Bignum bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    detail::check(bn != nullptr, "ASN1_INTEGER_to_BN");
    detail::OsslString text(BN_bn2dec(bn.get()));
    detail::check(text != nullptr, "BN_bn2dec");
    return text.get();
}

}  // namespace

OriginCaRoot create_origin_root(OriginRootKind kind, std::int64_t now) {
    const KeyType type = kind == OriginRootKind::rsa ? KeyType::rsa2048 : KeyType::p256v1;
    auto key = detail::generate_key(type);
    std::string cn = kind == OriginRootKind::rsa ? "csr-emulator Origin SSL Certificate Authority "
                                                 : "csr-emulator Origin SSL ECC Certificate Authority ";
    auto name = origin_name("csr-emulator Origin CA", cn + random_hex(4));
    std::int64_t not_before = now - backdate;
    auto root = detail::new_certificate(name.get(), name.get(), key.get(), not_before, not_before + root_lifetime);
    detail::add_extension(root.get(), root.get(), NID_basic_constraints, "critical,CA:TRUE");
    detail::add_extension(root.get(), root.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    detail::add_extension(root.get(), root.get(), NID_subject_key_identifier, "hash");
    auto digest = detail::fetch_digest("sha256");
    detail::sign(root.get(), key.get(), digest.get());
    return {detail::certificate_pem(root.get()), detail::generated_key_pem(type, key.get())};
}

OriginCsrFacts inspect_origin_csr(std::string_view csr_pem) {
    auto req = detail::read_csr(csr_pem);
    detail::clear_errors();
    EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
    if (!key) throw Error("the CSR has no readable public key");
    OriginCsrFacts facts;
    facts.algorithm = detail::is_rsa(key)                ? CsrKeyAlgorithm::rsa
                      : EVP_PKEY_is_a(key, "EC") == 1    ? CsrKeyAlgorithm::ec
                                                         : CsrKeyAlgorithm::other;
    facts.bits = EVP_PKEY_get_bits(key);
    facts.signature_valid = X509_REQ_verify(req.get(), key) == 1;
    detail::clear_errors();
    return facts;
}

OriginCertificate issue_origin_certificate(const OriginCaRoot& root, std::string_view csr_pem,
                                           const std::vector<std::string>& hostnames, std::int64_t not_before,
                                           std::int64_t not_after) {
    if (hostnames.empty()) throw Error("an origin certificate needs at least one hostname");
    auto req = detail::read_csr(csr_pem);
    EVP_PKEY* public_key = detail::verified_public_key(req.get());
    auto issuers = detail::read_certificates(root.certificate_pem);
    X509* issuer = issuers.front().get();
    auto issuer_key = detail::read_private_key(root.private_key_pem);
    auto subject = origin_name("csr-emulator Origin CA", "csr-emulator Origin Certificate");
    auto serial = detail::random_serial(159, true);
    auto leaf = detail::new_certificate(subject.get(), X509_get_subject_name(issuer), public_key, not_before, not_after,
                                        serial.get());
    detail::add_extension(leaf.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
    detail::add_extension(leaf.get(), issuer, NID_key_usage,
                          detail::is_rsa(public_key) ? "critical,digitalSignature,keyEncipherment"
                                                     : "critical,digitalSignature");
    detail::add_extension(leaf.get(), issuer, NID_ext_key_usage, "serverAuth,clientAuth");
    detail::add_extension(leaf.get(), issuer, NID_subject_key_identifier, "hash");
    detail::add_extension(leaf.get(), issuer, NID_authority_key_identifier, "keyid:always");
    auto san = detail::dns_san_extension(hostnames);
    detail::clear_errors();
    detail::check(X509_add_ext(leaf.get(), san.get(), -1) == 1, "X509_add_ext");
    auto digest = detail::fetch_digest("sha256");
    detail::sign(leaf.get(), issuer_key.get(), digest.get());
    return {detail::certificate_pem(leaf.get()), decimal_serial(leaf.get())};
}

}  // namespace crypto
