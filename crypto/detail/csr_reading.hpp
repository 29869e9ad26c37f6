#pragma once
// Private to crypto/: reading a CSR back, shared by inspect_csr and the emulator CA's signing.
#include <string>
#include <string_view>
#include <vector>

#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

// The first CSR in the PEM text; throws crypto::Error "cannot parse CSR".
X509Req read_csr(std::string_view pem);

// The dNSName SANs of the CSR's extension request, in order. A missing, empty or malformed
// request yields none: the signature and key still say what the CSR is.
std::vector<std::string> csr_dns_sans(X509_REQ* req);

}  // namespace crypto::detail
