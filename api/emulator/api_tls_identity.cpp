#include "api/emulator/api_tls_identity.hpp"

#include "api/emulator/emulator_ca.hpp"
#include "crypto/csr.hpp"
#include "crypto/keys.hpp"

namespace api::emulator {

crypto::TlsKeyPair api_tls_identity(const crypto::CaMaterial& ca, TimePoint now) {
    std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    crypto::CsrSubject subject{"US", "California", "San Francisco", "csr-emulator", std::nullopt, std::string(api_host_name)};
    std::string csr = crypto::create_csr(subject, {std::string(api_host_name)}, key);
    return {sign_with_emulator_ca(ca, csr, 365, now), key};
}

}  // namespace api::emulator
