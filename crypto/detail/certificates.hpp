#pragma once
// Private to crypto/: X509 helpers shared by certificate checks and the emulator CA.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/certificate.hpp"
#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

// Every certificate in the PEM text, in order; other PEM block types are skipped. Throws
// crypto::Error when there is none or a CERTIFICATE block does not parse.
std::vector<X509Ptr> read_certificates(BIO* bio);
std::vector<X509Ptr> read_certificates(std::string_view pem);

std::string certificate_pem(X509* cert);
CertificateDetails details_of(X509* cert);

// basicConstraints CA:TRUE.
bool is_ca(X509* cert);

std::int64_t unix_time(const ASN1_TIME* time);
void set_time(ASN1_TIME* time, std::int64_t unix_seconds);

}  // namespace crypto::detail
