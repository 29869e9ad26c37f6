#include "crypto/detail/certificate_building.hpp"

#include "crypto/detail/certificates.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/error.hpp"

namespace crypto::detail {

Asn1Integer random_serial(int bits, bool full_width) {
    clear_errors();
    Bignum bn(BN_new());
    check(bn != nullptr, "BN_new");
    do {
        check(BN_rand(bn.get(), bits, full_width ? BN_RAND_TOP_ONE : BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              "BN_rand");
        // Clearing the top bit keeps a 128-bit DER INTEGER positive within 16 bytes (no 0x00 pad
        // byte); a full-width serial keeps it (159 bits fit 20 bytes unpadded).
        if (!full_width) check(BN_clear_bit(bn.get(), bits - 1) == 1, "BN_clear_bit");
    } while (BN_is_zero(bn.get()));
    Asn1Integer serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    check(serial != nullptr, "BN_to_ASN1_INTEGER");
    return serial;
}

X509Name common_name(const std::string& cn) {
    clear_errors();
    X509Name name(X509_NAME_new());
    check(name != nullptr, "X509_NAME_new");
    add_name_entry(name.get(), NID_commonName, cn);
    return name;
}

X509Ptr new_certificate(const X509_NAME* subject, const X509_NAME* issuer, EVP_PKEY* public_key,
                        std::int64_t not_before, std::int64_t not_after, ASN1_INTEGER* serial) {
    if (not_after < not_before) throw Error("not_after is before not_before");
    clear_errors();
    X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
    if (serial) {
        check(X509_set_serialNumber(cert.get(), serial) == 1, "X509_set_serialNumber");
    } else {
        auto random = random_serial();
        check(X509_set_serialNumber(cert.get(), random.get()) == 1, "X509_set_serialNumber");
    }
    check(X509_set_subject_name(cert.get(), subject) == 1, "X509_set_subject_name");
    check(X509_set_issuer_name(cert.get(), issuer) == 1, "X509_set_issuer_name");
    set_time(X509_getm_notBefore(cert.get()), not_before);
    set_time(X509_getm_notAfter(cert.get()), not_after);
    check(X509_set_pubkey(cert.get(), public_key) == 1, "X509_set_pubkey");
    return cert;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    clear_errors();
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509Extension ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
    check(ext != nullptr, std::string("cannot build ") + OBJ_nid2sn(nid) + " extension");
    check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

void sign(X509* cert, EVP_PKEY* key, const EVP_MD* digest) {
    clear_errors();
    check(X509_sign(cert, key, digest) > 0, "cannot sign certificate");
}

EVP_PKEY* verified_public_key(X509_REQ* req) {
    clear_errors();
    EVP_PKEY* public_key = X509_REQ_get0_pubkey(req);
    check(public_key != nullptr, "cannot read the CSR's public key");
    if (X509_REQ_verify(req, public_key) != 1) {
        clear_errors();
        throw Error("CSR signature does not verify");
    }
    return public_key;
}

}  // namespace crypto::detail
