#include "crypto/emulator_ca.hpp"

#include <algorithm>

#include "crypto/detail/certificate_building.hpp"
#include "crypto/detail/certificates.hpp"
#include "crypto/detail/csr_reading.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/pkey.hpp"
#include "crypto/random.hpp"

namespace crypto {
namespace {

using detail::add_extension;
using detail::common_name;
using detail::new_certificate;
using detail::sign;

constexpr std::int64_t day = 86400;
constexpr std::int64_t backdate = 3600;  // tolerates clients whose clocks run a little behind
constexpr std::int64_t root_lifetime = 7305 * day;          // 20 years
constexpr std::int64_t intermediate_lifetime = 3653 * day;  // 10 years

void add_dns_sans(X509* cert, const std::vector<std::string>& dns_names) {
    auto san = detail::dns_san_extension(dns_names);
    detail::clear_errors();
    detail::check(X509_add_ext(cert, san.get(), -1) == 1, "X509_add_ext");
}

void add_leaf_extensions(X509* cert, X509* issuer, EVP_PKEY* key) {
    add_extension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE");
    // keyEncipherment only means something for RSA key transport; an EC key cannot do it.
    add_extension(cert, issuer, NID_key_usage,
                  detail::is_rsa(key) ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature");
    add_extension(cert, issuer, NID_ext_key_usage, "serverAuth");
    add_extension(cert, issuer, NID_subject_key_identifier, "hash");
}

void require_key_matches(X509* cert, EVP_PKEY* key, const char* what) {
    detail::clear_errors();
    if (X509_check_private_key(cert, key) != 1) {
        detail::clear_errors();
        throw Error(std::string(what) + " private key does not match its certificate");
    }
}

// Fills the intermediate half of `ca` under the given root.
void make_intermediate(CaMaterial& ca, X509* root, EVP_PKEY* root_key, const std::string& suffix,
                       std::int64_t now) {
    auto key = detail::generate_key(KeyType::p256v1);
    std::int64_t not_before = now - backdate;
    std::int64_t not_after = std::min(not_before + intermediate_lifetime, detail::unix_time(X509_get0_notAfter(root)));
    auto name = common_name("csr-emulator Test Intermediate CA " + suffix);
    auto cert = new_certificate(name.get(), X509_get_subject_name(root), key.get(), not_before, not_after);
    add_extension(cert.get(), root, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_extension(cert.get(), root, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), root, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), root, NID_authority_key_identifier, "keyid:always");
    auto digest = detail::fetch_digest("sha256");
    sign(cert.get(), root_key, digest.get());
    ca.intermediate_certificate_pem = detail::certificate_pem(cert.get());
    ca.intermediate_private_key_pem = detail::generated_key_pem(KeyType::p256v1, key.get());
}

}  // namespace

CaMaterial create_emulator_ca(std::int64_t now) {
    CaMaterial ca;
    const std::string suffix = random_hex(4);
    auto key = detail::generate_key(KeyType::p256v1);
    auto name = common_name("csr-emulator Test Root CA " + suffix);
    std::int64_t not_before = now - backdate;
    auto root = new_certificate(name.get(), name.get(), key.get(), not_before, not_before + root_lifetime);
    add_extension(root.get(), root.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(root.get(), root.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(root.get(), root.get(), NID_subject_key_identifier, "hash");
    add_extension(root.get(), root.get(), NID_authority_key_identifier, "keyid:always");
    auto digest = detail::fetch_digest("sha256");
    sign(root.get(), key.get(), digest.get());
    ca.root_certificate_pem = detail::certificate_pem(root.get());
    ca.root_private_key_pem = detail::generated_key_pem(KeyType::p256v1, key.get());
    make_intermediate(ca, root.get(), key.get(), suffix, now);
    return ca;
}

CaMaterial create_intermediate(std::string_view root_certificate_pem, std::string_view root_private_key_pem,
                               std::int64_t now) {
    auto roots = detail::read_certificates(root_certificate_pem);
    X509* root = roots.front().get();
    auto key = detail::read_private_key(root_private_key_pem);
    require_key_matches(root, key.get(), "root");
    // 1 = basicConstraints CA:TRUE and, if keyUsage is present, keyCertSign.
    if (X509_check_ca(root) != 1) throw Error("root certificate is not a CA allowed to sign certificates");
    if (X509_get_pathlen(root) == 0) throw Error("root certificate's pathLenConstraint 0 forbids an intermediate");
    CaMaterial ca;
    ca.root_certificate_pem = detail::certificate_pem(root);
    ca.root_private_key_pem = detail::private_key_pem(key.get());
    make_intermediate(ca, root, key.get(), random_hex(4), now);
    return ca;
}

std::string sign_csr(const CaMaterial& ca, std::string_view csr_pem, const SignOptions& options) {
    detail::fetch_digest(options.digest);  // an unknown digest is refused before the CSR is read
    auto req = detail::read_csr(csr_pem);
    EVP_PKEY* public_key = detail::verified_public_key(req.get());

    std::vector<std::string> sans = detail::csr_dns_sans(req.get());
    detail::clear_errors();
    const X509_NAME* subject = X509_REQ_get_subject_name(req.get());
    if (sans.empty()) {
        auto cn = detail::name_entry(subject, NID_commonName, true);
        if (!cn || cn->empty()) throw Error("CSR has neither DNS names nor a common name");
        sans.push_back(*cn);
    }

    return detail::sign_leaf(ca, subject, public_key, sans, options);
}

std::string detail::sign_leaf(const CaMaterial& ca, const X509_NAME* subject, EVP_PKEY* public_key,
                              const std::vector<std::string>& dns_names, const SignOptions& options) {
    auto digest = detail::fetch_digest(options.digest);
    auto issuers = detail::read_certificates(ca.intermediate_certificate_pem);
    X509* issuer = issuers.front().get();
    auto issuer_key = detail::read_private_key(ca.intermediate_private_key_pem);
    require_key_matches(issuer, issuer_key.get(), "intermediate");

    auto leaf = new_certificate(subject, X509_get_subject_name(issuer), public_key, options.not_before,
                                options.not_after);
    add_leaf_extensions(leaf.get(), issuer, public_key);
    // "issuer" only steps in when the intermediate lacks a subjectKeyIdentifier.
    add_extension(leaf.get(), issuer, NID_authority_key_identifier, "keyid,issuer");
    add_dns_sans(leaf.get(), dns_names);
    sign(leaf.get(), issuer_key.get(), digest.get());
    return detail::certificate_pem(leaf.get()) + detail::certificate_pem(issuer);
}

std::string create_self_signed(std::string_view private_key_pem, const std::vector<std::string>& dns_names,
                               const SignOptions& options) {
    if (dns_names.empty()) throw Error("a self-signed certificate needs at least one DNS name");
    auto digest = detail::fetch_digest(options.digest);
    auto key = detail::read_private_key(private_key_pem);
    auto name = common_name(dns_names.front());
    auto cert = new_certificate(name.get(), name.get(), key.get(), options.not_before, options.not_after);
    add_leaf_extensions(cert.get(), cert.get(), key.get());
    add_dns_sans(cert.get(), dns_names);
    sign(cert.get(), key.get(), digest.get());
    return detail::certificate_pem(cert.get());
}

}  // namespace crypto
