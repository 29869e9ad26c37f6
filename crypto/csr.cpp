#include "crypto/csr.hpp"

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "crypto/detail/algorithms.hpp"
#include "crypto/detail/csr_reading.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/p256_encoding.hpp"
#include "crypto/detail/pem.hpp"
#include "crypto/detail/pkey.hpp"

namespace crypto {
namespace detail {

X509Req read_csr(std::string_view pem) { return read_pem<X509Req>(pem, PEM_read_bio_X509_REQ, "cannot parse CSR"); }

std::vector<std::string> csr_dns_sans(X509_REQ* req) {
    clear_errors();
    // A missing or empty attribute set yields null without an error; a malformed one yields null too.
    X509Extensions exts(X509_REQ_get_extensions(req));
    std::vector<std::string> sans;
    if (exts) {
        GeneralNames names(static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts.get(), NID_subject_alt_name, nullptr, nullptr)));
        if (names) sans = dns_names(names.get());
    }
    clear_errors();
    return sans;
}

}  // namespace detail

namespace {

// The CSR PEM for a key already in memory: create_csr parses the key's PEM first,
// create_key_and_csr hands over the key it just made (a PEM round trip costs as much as the key).
// `made_p256`: the key is one generate_key made for P-256, so its SPKI is written directly.
std::string csr_for_key(const CsrSubject& subject, const std::vector<std::string>& dns_sans, EVP_PKEY* key,
                        bool made_p256 = false) {
    detail::clear_errors();
    detail::X509Req req(X509_REQ_new());
    detail::check(req != nullptr, "X509_REQ_new");
    detail::check(X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) == 1, "X509_REQ_set_version");

    detail::X509Name name(X509_NAME_new());
    detail::check(name != nullptr, "X509_NAME_new");
    detail::add_name_entry(name.get(), NID_countryName, subject.country);
    detail::add_name_entry(name.get(), NID_stateOrProvinceName, subject.state);
    detail::add_name_entry(name.get(), NID_localityName, subject.locality);
    detail::add_name_entry(name.get(), NID_organizationName, subject.organization);
    if (subject.organizational_unit)
        detail::add_name_entry(name.get(), NID_organizationalUnitName, *subject.organizational_unit);
    detail::add_name_entry(name.get(), NID_commonName, subject.common_name);
    detail::clear_errors();
    detail::check(X509_REQ_set_subject_name(req.get(), name.get()) == 1, "X509_REQ_set_subject_name");

    if (!dns_sans.empty()) {
        auto san = detail::dns_san_extension(dns_sans);
        detail::X509Extensions exts(sk_X509_EXTENSION_new_null());
        detail::check(exts != nullptr, "sk_X509_EXTENSION_new_null");
        detail::check(sk_X509_EXTENSION_push(exts.get(), san.get()) > 0, "sk_X509_EXTENSION_push");
        san.release();
        detail::check(X509_REQ_add_extensions(req.get(), exts.get()) == 1, "X509_REQ_add_extensions");
    }

    if (made_p256) detail::set_p256_public_key(X509_REQ_get_X509_PUBKEY(req.get()), key);
    else detail::check(X509_REQ_set_pubkey(req.get(), key) == 1, "X509_REQ_set_pubkey");
    detail::check(X509_REQ_sign(req.get(), key, detail::sha256()) > 0, "cannot sign CSR");

    return detail::write_pem([&](BIO* bio) { return PEM_write_bio_X509_REQ(bio, req.get()); }, "PEM_write_bio_X509_REQ");
}

}  // namespace

std::string create_csr(const CsrSubject& subject, const std::vector<std::string>& dns_sans,
                       std::string_view private_key_pem) {
    auto key = detail::read_private_key(private_key_pem);
    return csr_for_key(subject, dns_sans, key.get());
}

KeyAndCsr create_key_and_csr(KeyType type, const CsrSubject& subject, const std::vector<std::string>& dns_sans) {
    auto key = detail::generate_key(type);
    KeyAndCsr made;
    made.private_key_pem = detail::generated_key_pem(type, key.get());
    made.csr_pem = csr_for_key(subject, dns_sans, key.get(), type == KeyType::p256v1);
    return made;
}

namespace {

// "RSA 2048", "EC prime256v1", else the algorithm's short name and its size in bits.
std::string key_description(const EVP_PKEY* key) {
    int id = EVP_PKEY_get_base_id(key);
    std::string bits = std::to_string(EVP_PKEY_get_bits(key));
    if (id == EVP_PKEY_RSA) return "RSA " + bits;
    if (id == EVP_PKEY_EC) {
        char group[80] = {};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) == 1)
            return std::string("EC ") + group;
        detail::clear_errors();
        return "EC " + bits;
    }
    const char* name = OBJ_nid2sn(id);
    return std::string(name ? name : "unknown") + " " + bits;
}

}  // namespace

CsrDetails inspect_csr(std::string_view csr_pem) {
    auto req = detail::read_csr(csr_pem);

    CsrDetails details;
    const X509_NAME* name = X509_REQ_get_subject_name(req.get());
    auto text = [&](int nid) { return detail::name_entry(name, nid).value_or(std::string()); };
    details.subject.country = text(NID_countryName);
    details.subject.state = text(NID_stateOrProvinceName);
    details.subject.locality = text(NID_localityName);
    details.subject.organization = text(NID_organizationName);
    details.subject.organizational_unit = detail::name_entry(name, NID_organizationalUnitName);
    details.subject.common_name = text(NID_commonName);

    details.dns_sans = detail::csr_dns_sans(req.get());

    EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
    detail::check(key != nullptr, "cannot read the CSR's public key");
    details.public_key_pem = detail::public_key_pem(key);
    details.signature_valid = X509_REQ_verify(req.get(), key) == 1;
    detail::clear_errors();
    details.key_description = key_description(key);
    details.signature_algorithm = OBJ_nid2ln(X509_REQ_get_signature_nid(req.get()));
    return details;
}

}  // namespace crypto
