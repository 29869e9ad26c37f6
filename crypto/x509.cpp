// The X.509 helpers private to crypto/ (crypto/detail/certificates.hpp): reading and writing
// certificates, their times, and the facts an upload reports about each one.
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <unordered_map>

#include "crypto/certificate.hpp"
#include "crypto/detail/algorithms.hpp"
#include "crypto/detail/certificates.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/pem.hpp"
#include "crypto/detail/pkey.hpp"

namespace crypto {
namespace detail {

std::vector<X509Ptr> read_certificates(BIO* bio) {
    std::vector<X509Ptr> certs;
    clear_errors();
    for (;;) {
        X509Ptr cert(PEM_read_bio_X509(bio, nullptr, refuse_password, nullptr));
        if (cert) {
            certs.push_back(std::move(cert));
            continue;
        }
        // Running out of BEGIN lines is how the loop ends; any other error is a broken block.
        unsigned long err = ERR_peek_last_error();
        bool end_of_input = ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
        if (end_of_input && !certs.empty()) {
            clear_errors();
            return certs;
        }
        if (end_of_input) {
            clear_errors();
            throw Error("no certificate found");
        }
        throw_error("certificate " + std::to_string(certs.size() + 1) + " cannot be parsed");
    }
}

std::vector<X509Ptr> read_certificates(std::string_view pem) {
    auto bio = read_bio(pem);
    return read_certificates(bio.get());
}

std::string certificate_pem(X509* cert) {
    return write_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert); }, "PEM_write_bio_X509");
}

bool is_ca(X509* cert) { return (X509_get_extension_flags(cert) & EXFLAG_CA) != 0; }

std::int64_t unix_time(const ASN1_TIME* time) {
    std::tm tm{};
    clear_errors();
    check(ASN1_TIME_to_tm(time, &tm) == 1, "invalid certificate time");
    using namespace std::chrono;
    sys_days date = year{tm.tm_year + 1900} / month{static_cast<unsigned>(tm.tm_mon + 1)} /
                    day{static_cast<unsigned>(tm.tm_mday)};
    return date.time_since_epoch().count() * std::int64_t{86400} + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

void set_time(ASN1_TIME* time, std::int64_t unix_seconds) {
    clear_errors();
    check(ASN1_TIME_set(time, static_cast<time_t>(unix_seconds)) != nullptr, "ASN1_TIME_set");
}

namespace {

std::string signature_name(X509* cert) {
    switch (X509_get_signature_nid(cert)) {
        case NID_sha256WithRSAEncryption: return "SHA256WithRSA";
        case NID_sha1WithRSAEncryption: return "SHA1WithRSA";
        case NID_ecdsa_with_SHA256: return "ECDSAWithSHA256";
        default: break;
    }
    const ASN1_BIT_STRING* sig = nullptr;
    const X509_ALGOR* alg = nullptr;
    X509_get0_signature(&sig, &alg, cert);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
    std::array<char, 128> buf{};
    // Long name when OpenSSL knows the OID, dotted form otherwise.
    int len = OBJ_obj2txt(buf.data(), static_cast<int>(buf.size()), oid, 0);
    return len > 0 ? std::string(buf.data()) : std::string("unknown");
}

std::string serial_decimal(X509* cert) {
    clear_errors();
    Bignum bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    check(bn != nullptr, "ASN1_INTEGER_to_BN");
    OsslString text(BN_bn2dec(bn.get()));
    check(text != nullptr, "BN_bn2dec");
    return text.get();
}

std::string sha256_fingerprint(X509* cert) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    clear_errors();
    check(X509_digest(cert, sha256(), md.data(), &len) == 1, "X509_digest");
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += digits[md[i] >> 4];
        hex += digits[md[i] & 0x0f];
    }
    return hex;
}

}  // namespace

CertificateDetails details_of(X509* cert) {
    CertificateDetails d;
    const X509_NAME* subject = X509_get_subject_name(cert);
    const X509_NAME* issuer = X509_get_issuer_name(cert);
    // The last CN is the most specific one, as X509_check_host treats it.
    d.subject_common_name = name_entry(subject, NID_commonName, true).value_or("");
    d.issuer = name_entry(issuer, NID_organizationName)
                   .value_or(name_entry(issuer, NID_commonName, true).value_or(""));
    d.serial_number = serial_decimal(cert);
    d.signature = signature_name(cert);
    d.not_before = unix_time(X509_get0_notBefore(cert));
    d.not_after = unix_time(X509_get0_notAfter(cert));

    int crit = -1;
    clear_errors();
    GeneralNames sans(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, nullptr)));
    clear_errors();
    if (sans)
        d.dns_names = dns_names(sans.get());
    else if (crit == -1 && !d.subject_common_name.empty())  // -1: no SAN extension at all
        d.dns_names.push_back(d.subject_common_name);

    if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
        d.public_key_pem = public_key_pem(key);
        int id = EVP_PKEY_get_base_id(key);
        if (id == EVP_PKEY_RSA) d.public_key_type = "RSA";
        else if (id == EVP_PKEY_EC) d.public_key_type = "EC";
        else if (const char* name = OBJ_nid2sn(id)) d.public_key_type = name;
        d.public_key_bits = EVP_PKEY_get_bits(key);
    }
    clear_errors();
    d.fingerprint_sha256 = sha256_fingerprint(cert);
    d.pem = certificate_pem(cert);
    return d;
}

}  // namespace detail

// A stored chain is parsed again at every read, settle and event of what holds it, and OpenSSL 3
// decodes each certificate's key through its decoder framework (about 0.1 ms and several contended
// locks per certificate: half the CPU of a mass renewal). A chain's details depend on its text
// alone, so the last ones parsed are kept, keyed by that text.
std::vector<CertificateDetails> parse_certificates(std::string_view pem) {
    static std::mutex mutex;
    static std::unordered_map<std::string, std::vector<CertificateDetails>> parsed;
    constexpr std::size_t parsed_limit = 512;  // a few MB at most
    {
        std::lock_guard lock(mutex);
        if (auto it = parsed.find(std::string(pem)); it != parsed.end()) return it->second;
    }
    std::vector<CertificateDetails> out;
    for (auto& cert : detail::read_certificates(pem)) out.push_back(detail::details_of(cert.get()));
    std::lock_guard lock(mutex);
    if (parsed.size() >= parsed_limit) parsed.clear();
    parsed.emplace(std::string(pem), out);
    return out;
}

}  // namespace crypto
