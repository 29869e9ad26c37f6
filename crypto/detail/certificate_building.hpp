#pragma once
// Private to crypto/: the steps of making an X.509 certificate, shared by the test CA and the
// Origin CA.
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/detail/ossl.hpp"

namespace crypto {
struct CaMaterial;
struct SignOptions;
}  // namespace crypto

namespace crypto::detail {

// A random positive serial of `bits` bits at most (128: the test CA's), never zero. With
// `full_width` the top bit is set, so the serial has exactly `bits` bits (Origin CA serials
// are 159 bits: 48 decimal digits).
Asn1Integer random_serial(int bits = 128, bool full_width = false);

X509Name common_name(const std::string& cn);

// Version 3, a random 128-bit serial (or `serial`), subject, issuer, validity and key; no
// extensions. Throws crypto::Error when not_after is before not_before.
X509Ptr new_certificate(const X509_NAME* subject, const X509_NAME* issuer, EVP_PKEY* public_key,
                        std::int64_t not_before, std::int64_t not_after, ASN1_INTEGER* serial = nullptr);

// An extension in OpenSSL's config syntax; `issuer` is the certificate itself for a root.
void add_extension(X509* cert, X509* issuer, int nid, const std::string& value);

void sign(X509* cert, EVP_PKEY* key, const EVP_MD* digest);

// A leaf for `public_key` from the test CA's intermediate (serverAuth, `dns_names` as its SANs,
// `subject` as its subject): the chain PEM, leaf then intermediate. What sign_csr does once the
// CSR is read; DV issuance calls it with the keys it holds, without a CSR between.
std::string sign_leaf(const CaMaterial& ca, const X509_NAME* subject, EVP_PKEY* public_key,
                      const std::vector<std::string>& dns_names, const SignOptions& options);

// The CSR's public key (owned by the CSR), once its self-signature verifies; else crypto::Error
// "CSR signature does not verify".
EVP_PKEY* verified_public_key(X509_REQ* req);

}  // namespace crypto::detail
