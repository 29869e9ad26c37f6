#pragma once
// PKCS#10 certificate signing requests: creating them for a key, and reading them back.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"

namespace crypto {

struct CsrSubject {
    std::string country, state, locality, organization;
    std::optional<std::string> organizational_unit;
    std::string common_name;

    bool operator==(const CsrSubject&) const = default;
};

// PKCS#10 CSR PEM ("-----BEGIN CERTIFICATE REQUEST-----"), version 1, subject C, ST, L, O, OU (only
// when given), CN passed as UTF-8 (OpenSSL encodes C as PrintableString, the rest as UTF8String),
// a subjectAltName extension request with every name as a dNSName in the given order (omitted when
// the list is empty: an empty GeneralNames is invalid DER), signed with SHA-256 by the key.
// Throws crypto::Error, e.g. for a country that is not two characters, an empty or over-long
// attribute, a non-ASCII DNS name or an unparsable key.
std::string create_csr(const CsrSubject& subject, const std::vector<std::string>& dns_sans,
                       std::string_view private_key_pem);

struct KeyAndCsr {
    std::string private_key_pem;  // as generate_private_key makes it
    std::string csr_pem;          // as create_csr makes it for that key
};

// generate_private_key(type) and create_csr for the new key in one call, without parsing the
// key's PEM back. Throws what those two throw.
KeyAndCsr create_key_and_csr(KeyType type, const CsrSubject& subject, const std::vector<std::string>& dns_sans);

struct CsrDetails {
    CsrSubject subject;                 // fields absent in the CSR are empty / nullopt
    std::vector<std::string> dns_sans;  // from the extension request, in order
    std::string public_key_pem;         // SPKI PEM, same format as public_key_of_private_key
    bool signature_valid = false;
    std::string key_description;      // "RSA 2048", "EC prime256v1", …: algorithm and size or curve
    std::string signature_algorithm;  // OpenSSL's long name, e.g. "sha256WithRSAEncryption"
};

// Throws crypto::Error when the text holds no parsable CSR.
CsrDetails inspect_csr(std::string_view csr_pem);

}  // namespace crypto
