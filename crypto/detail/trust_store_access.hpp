#pragma once
// Private to crypto/: the upload check's way to a TrustStore's X509_STORE, which the public
// header keeps out of sight.
#include "crypto/certificate.hpp"
#include "crypto/detail/ossl.hpp"

namespace crypto {

struct TrustStoreAccess {
    // nullptr for a moved-from store.
    static X509_STORE* store(const TrustStore& trust);
};

}  // namespace crypto
