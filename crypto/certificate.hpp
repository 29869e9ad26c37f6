#pragma once
// X.509 certificates as customers upload them: parsing bundles, trust, and the checks an upload
// must pass, in the order Cloudflare reports them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crypto {

struct CertificateDetails {
    std::string subject_common_name;     // may be empty; the last CN when there are several
    std::string issuer;                  // issuer O if present, else issuer CN, verbatim
    std::string serial_number;           // decimal
    std::string signature;               // "SHA256WithRSA", "SHA1WithRSA", "ECDSAWithSHA256", else OpenSSL's
                                         // long name of the algorithm, e.g. "ecdsa-with-SHA384"
    std::int64_t not_before = 0, not_after = 0;  // unix seconds
    std::vector<std::string> dns_names;  // DNS SANs; the subject CN only if there is no SAN extension
    std::string public_key_pem;          // SPKI PEM; empty when OpenSSL cannot decode the key algorithm
    std::string public_key_type;         // "RSA", "EC", else OpenSSL's short name; empty as above
    int public_key_bits = 0;             // RSA modulus / EC group order bits; 0 when unknown
    std::string fingerprint_sha256;      // lowercase hex, no colons
    std::string pem;                     // this certificate alone, re-encoded
};

// Roots a chain may lead to. Safe to use from several threads at once once filled.
class TrustStore {
public:
    TrustStore();
    ~TrustStore();
    TrustStore(TrustStore&&) noexcept;
    TrustStore& operator=(TrustStore&&) noexcept;
    TrustStore(const TrustStore&) = delete;
    TrustStore& operator=(const TrustStore&) = delete;

    // Adds every certificate of a PEM bundle file. Returns how many were new to the store (a
    // certificate already present is not counted twice). Throws crypto::Error if the file cannot
    // be read, holds no certificate or holds an unparsable one (then nothing is added).
    std::size_t add_bundle_file(const std::string& path);
    // The same for PEM text.
    std::size_t add_pem(std::string_view pem);
    // Adds the bundle file on first use of the store (a check, or size()), not now: reading a
    // system bundle of 150 roots takes tens of milliseconds a start-up need not wait for. That
    // use throws the crypto::Error add_bundle_file would have, and so does every later use.
    void add_bundle_file_on_first_use(const std::string& path);
    // Distinct certificates held (loads deferred bundles first).
    std::size_t size() const;

private:
    struct Impl;
    friend struct TrustStoreAccess;  // check_certificate's way to the X509_STORE
    std::unique_ptr<Impl> impl_;
};

enum class CertificateProblem {
    none,
    empty,                  // no text / only whitespace
    unparsable,             // text present but no certificate parses, or one PEM block does not
    no_leaf,                // leaf = not basicConstraints CA:TRUE and issues no other certificate
    multiple_leaves,        //   in the bundle
    unsupported_signature,  // leaf signature not SHA256WithRSA / SHA1WithRSA / ECDSAWithSHA256
    weak_key,               // leaf RSA key under min_rsa_bits or EC key under min_ec_bits
    expired,                // now >= leaf notAfter (OpenSSL's verifier: the notAfter second is expired)
    not_yet_valid,          // now < leaf notBefore
    expires_soon,           // leaf notAfter <= now + min_remaining_seconds
    untrusted,              // leaf + the other certificates as intermediates do not verify to a
                            //   root of the TrustStore at `now` (a self-signed leaf never does)
    key_mismatch,           // leaf public key != expected_public_key_pem
    hostname_not_covered    // a hostname is not covered by the leaf's dns_names (see name_covered)
};

struct CertificateCheck {
    std::string_view chain_pem;
    std::optional<std::string> expected_public_key_pem;  // SPKI PEM (from a CSR or a private key)
    std::vector<std::string> hostnames;                  // each must be covered
    bool skip_trust = false;                             // bundle_method "force"
    std::int64_t now = 0;                                // unix seconds
    // The caller's policy (crypto/ knows no provider's rules); 0 turns a rule off.
    int min_rsa_bits = 0, min_ec_bits = 0;
    std::int64_t min_remaining_seconds = 0;  // the leaf must stay valid longer than this after now
};

struct CertificateVerdict {
    CertificateProblem problem = CertificateProblem::none;
    std::string detail;                      // human text: OpenSSL's reason, the uncovered hostname, ...
                                             //   (none for expired, not_yet_valid, expires_soon: the
                                             //   leaf's times say when, and api/ writes them as text)
    std::optional<CertificateDetails> leaf;  // set once a single leaf was found
    std::vector<CertificateDetails> chain;   // every certificate; leaf first, then each issuer, when
                                             //   a single leaf was found; otherwise bundle order
};

// Checks in this order and stops at the first problem: empty, unparsable, no_leaf/multiple_leaves,
// unsupported_signature, weak_key, expired/not_yet_valid, expires_soon, untrusted (unless
// skip_trust), key_mismatch, hostname_not_covered. Trust is verified for the TLS server purpose (a leaf whose
// extendedKeyUsage excludes serverAuth is untrusted). Never throws for bad input; throws
// crypto::Error only when OpenSSL itself fails (e.g. allocation).
CertificateVerdict check_certificate(const CertificateCheck& check, const TrustStore& trust);

// Every certificate of a PEM bundle, in order. Throws crypto::Error if one is unparsable or there
// is none.
std::vector<CertificateDetails> parse_certificates(std::string_view pem);

// RFC 6125: case-insensitive, one trailing dot ignored; "*" only as the whole left-most label of a
// name with at least two more labels, matching exactly one non-empty label ("*.a.com" covers
// "x.a.com" but neither "a.com" nor "x.y.a.com"). A hostname that is itself a wildcard is covered
// only by the same wildcard.
bool name_covered(const std::vector<std::string>& dns_names, std::string_view hostname);

}  // namespace crypto
