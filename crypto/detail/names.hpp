#pragma once
// Private to crypto/: distinguished names and subjectAltName lists, shared by CSRs and certificates.
#include <optional>
#include <string>
#include <vector>

#include "crypto/detail/ossl.hpp"

namespace crypto::detail {

// Appends one attribute as MBSTRING_UTF8; OpenSSL's string table then picks the ASN.1 type and
// enforces sizes (countryName becomes a 2-character PrintableString). Throws crypto::Error.
void add_name_entry(X509_NAME* name, int nid, const std::string& value);

// The UTF-8 text of the first (or last) attribute with this NID, or nullopt when absent.
std::optional<std::string> name_entry(const X509_NAME* name, int nid, bool last = false);

// subjectAltName with one dNSName per entry, in order. Throws for an empty or non-ASCII name.
X509Extension dns_san_extension(const std::vector<std::string>& dns_names);

// The dNSName entries, in order (other name types are skipped).
std::vector<std::string> dns_names(const GENERAL_NAMES* names);

}  // namespace crypto::detail
