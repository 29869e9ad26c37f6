#include "crypto/certificate.hpp"

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "crypto/detail/certificates.hpp"
#include "crypto/detail/names.hpp"
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
    clear_errors();
    auto bio = write_bio();
    check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    return bio_contents(bio.get());
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

std::string iso8601(std::int64_t unix_seconds) {
    using namespace std::chrono;
    sys_seconds t{seconds{unix_seconds}};
    auto d = floor<days>(t);
    year_month_day ymd{d};
    hh_mm_ss hms{t - d};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long long>(hms.seconds().count()));
    return buf.data();
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
    check(X509_digest(cert, EVP_sha256(), md.data(), &len) == 1, "X509_digest");
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

    if (EVP_PKEY* key = X509_get0_pubkey(cert)) d.public_key_pem = public_key_pem(key);
    clear_errors();
    d.fingerprint_sha256 = sha256_fingerprint(cert);
    d.pem = certificate_pem(cert);
    return d;
}

}  // namespace detail

// ---- TrustStore -------------------------------------------------------------------------------

struct TrustStore::Impl {
    detail::X509Store store;
};

struct TrustStoreAccess {
    static X509_STORE* store(const TrustStore& trust) { return trust.impl_ ? trust.impl_->store.get() : nullptr; }
};

namespace {

std::size_t store_size(X509_STORE* store) {
    X509_STORE_lock(store);
    int n = sk_X509_OBJECT_num(X509_STORE_get0_objects(store));
    X509_STORE_unlock(store);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::size_t add_all(X509_STORE* store, std::vector<detail::X509Ptr> certs) {
    std::size_t before = store_size(store);
    for (auto& cert : certs) {
        detail::clear_errors();
        // A certificate already in the store is a success without a second copy.
        detail::check(X509_STORE_add_cert(store, cert.get()) == 1, "X509_STORE_add_cert");
    }
    return store_size(store) - before;
}

}  // namespace

TrustStore::TrustStore() : impl_(std::make_unique<Impl>()) {
    detail::clear_errors();
    impl_->store.reset(X509_STORE_new());
    detail::check(impl_->store != nullptr, "X509_STORE_new");
}

TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;

std::size_t TrustStore::add_bundle_file(const std::string& path) {
    if (!impl_) throw Error("TrustStore used after move");
    detail::clear_errors();
    detail::Bio bio(BIO_new_file(path.c_str(), "r"));
    detail::check(bio != nullptr, "cannot read trust bundle " + path);
    try {
        return add_all(impl_->store.get(), detail::read_certificates(bio.get()));
    } catch (const Error& e) {
        throw Error("trust bundle " + path + ": " + e.what());
    }
}

std::size_t TrustStore::add_pem(std::string_view pem) {
    if (!impl_) throw Error("TrustStore used after move");
    return add_all(impl_->store.get(), detail::read_certificates(pem));
}

std::size_t TrustStore::size() const { return impl_ ? store_size(impl_->store.get()) : 0; }

// ---- checks -----------------------------------------------------------------------------------

namespace {

bool only_whitespace(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool issued(X509* issuer, X509* subject) {
    return issuer != subject && X509_check_issued(issuer, subject) == X509_V_OK;
}

bool supported_signature(const std::string& name) {
    return name == "SHA256WithRSA" || name == "SHA1WithRSA" || name == "ECDSAWithSHA256";
}

// Leaf first, then whichever remaining certificate issued the previous one; certificates outside
// that path follow in bundle order.
std::vector<std::size_t> chain_order(const std::vector<detail::X509Ptr>& certs, std::size_t leaf) {
    std::vector<std::size_t> order{leaf};
    std::vector<bool> used(certs.size(), false);
    used[leaf] = true;
    for (std::size_t current = leaf;;) {
        std::size_t next = certs.size();
        for (std::size_t i = 0; i < certs.size() && next == certs.size(); ++i)
            if (!used[i] && issued(certs[i].get(), certs[current].get())) next = i;
        if (next == certs.size()) break;
        used[next] = true;
        order.push_back(next);
        current = next;
    }
    for (std::size_t i = 0; i < certs.size(); ++i)
        if (!used[i]) order.push_back(i);
    return order;
}

// Empty when the chain verifies, else OpenSSL's reason.
std::string verify_chain(X509_STORE* store, const std::vector<detail::X509Ptr>& certs, std::size_t leaf,
                         std::int64_t now) {
    if (store == nullptr) return "the trust store holds no certificate";
    detail::clear_errors();
    detail::X509Stack untrusted(sk_X509_new_null());
    detail::check(untrusted != nullptr, "sk_X509_new_null");
    for (std::size_t i = 0; i < certs.size(); ++i) {
        if (i == leaf) continue;
        detail::check(X509_up_ref(certs[i].get()) == 1, "X509_up_ref");
        detail::X509Ptr ref(certs[i].get());
        detail::check(sk_X509_push(untrusted.get(), ref.get()) > 0, "sk_X509_push");
        ref.release();
    }
    detail::X509StoreCtx ctx(X509_STORE_CTX_new());
    detail::check(ctx != nullptr, "X509_STORE_CTX_new");
    detail::check(X509_STORE_CTX_init(ctx.get(), store, certs[leaf].get(), untrusted.get()) == 1,
                  "X509_STORE_CTX_init");
    X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(now));
    // The certificate will serve TLS: an extendedKeyUsage without serverAuth anywhere in the path is refused.
    detail::check(X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER) == 1, "X509_STORE_CTX_set_purpose");
    int ok = X509_verify_cert(ctx.get());
    int err = X509_STORE_CTX_get_error(ctx.get());
    if (ok == 1) {
        detail::clear_errors();
        return {};
    }
    if (err == X509_V_OK) detail::throw_error("X509_verify_cert");
    detail::clear_errors();
    std::string reason = X509_verify_cert_error_string(err);
    if (X509* at = X509_STORE_CTX_get_current_cert(ctx.get())) {
        auto cn = detail::name_entry(X509_get_subject_name(at), NID_commonName, true);
        reason += " (depth " + std::to_string(X509_STORE_CTX_get_error_depth(ctx.get()));
        if (cn) reason += ", CN=" + *cn;
        reason += ")";
    }
    return reason;
}

std::string describe_leaves(const std::vector<detail::X509Ptr>& certs, const std::vector<std::size_t>& leaves) {
    std::string text = std::to_string(leaves.size()) + " leaf certificates:";
    for (std::size_t i : leaves)
        text += " \"" + detail::name_entry(X509_get_subject_name(certs[i].get()), NID_commonName, true).value_or("") +
                "\"";
    return text;
}

}  // namespace

CertificateVerdict check_certificate(const CertificateCheck& check, const TrustStore& trust) {
    CertificateVerdict verdict;
    auto fail = [&](CertificateProblem problem, std::string detail) {
        verdict.problem = problem;
        verdict.detail = std::move(detail);
        return std::move(verdict);
    };

    if (only_whitespace(check.chain_pem)) return fail(CertificateProblem::empty, "no certificate given");

    std::vector<detail::X509Ptr> certs;
    std::vector<CertificateDetails> details;
    try {
        certs = detail::read_certificates(check.chain_pem);
        for (auto& cert : certs) details.push_back(detail::details_of(cert.get()));
    } catch (const Error& e) {
        return fail(CertificateProblem::unparsable, e.what());
    }

    std::vector<std::size_t> leaves;
    for (std::size_t i = 0; i < certs.size(); ++i) {
        if (detail::is_ca(certs[i].get())) continue;
        bool issues_another = false;
        for (std::size_t j = 0; j < certs.size() && !issues_another; ++j)
            issues_another = issued(certs[i].get(), certs[j].get());
        if (!issues_another) leaves.push_back(i);
    }
    if (leaves.size() != 1) {
        verdict.chain = details;
        if (leaves.empty())
            return fail(CertificateProblem::no_leaf, "every certificate is a CA or issues another in the bundle");
        return fail(CertificateProblem::multiple_leaves, describe_leaves(certs, leaves));
    }
    std::size_t leaf = leaves.front();
    for (std::size_t i : chain_order(certs, leaf)) verdict.chain.push_back(details[i]);
    verdict.leaf = details[leaf];
    const CertificateDetails& l = *verdict.leaf;

    if (!supported_signature(l.signature)) return fail(CertificateProblem::unsupported_signature, l.signature);
    // OpenSSL's verifier counts the notAfter second itself as expired (RFC 5280 says inclusive);
    // agreeing with it keeps that second from surfacing as "untrusted: certificate has expired".
    if (check.now >= l.not_after)
        return fail(CertificateProblem::expired, "certificate expired at " + detail::iso8601(l.not_after));
    if (check.now < l.not_before)
        return fail(CertificateProblem::not_yet_valid, "certificate is valid from " + detail::iso8601(l.not_before));

    if (!check.skip_trust) {
        std::string reason = verify_chain(TrustStoreAccess::store(trust), certs, leaf, check.now);
        if (!reason.empty()) return fail(CertificateProblem::untrusted, reason);
    }

    if (check.expected_public_key_pem) {
        EVP_PKEY* leaf_key = X509_get0_pubkey(certs[leaf].get());
        detail::clear_errors();
        try {
            auto expected = detail::read_public_key(*check.expected_public_key_pem);
            if (leaf_key == nullptr || EVP_PKEY_eq(leaf_key, expected.get()) != 1) {
                detail::clear_errors();
                return fail(CertificateProblem::key_mismatch, "the certificate's public key is not the expected key");
            }
        } catch (const Error& e) {
            return fail(CertificateProblem::key_mismatch, std::string("expected public key: ") + e.what());
        }
    }

    for (const auto& hostname : check.hostnames)
        if (!name_covered(l.dns_names, hostname)) return fail(CertificateProblem::hostname_not_covered, hostname);

    return verdict;
}

std::vector<CertificateDetails> parse_certificates(std::string_view pem) {
    std::vector<CertificateDetails> out;
    for (auto& cert : detail::read_certificates(pem)) out.push_back(detail::details_of(cert.get()));
    return out;
}

namespace {

std::string normalized(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::string out(name);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool covers(std::string_view pattern_text, std::string_view hostname_text) {
    std::string pattern = normalized(pattern_text);
    std::string host = normalized(hostname_text);
    if (pattern.empty() || host.empty()) return false;
    if (pattern == host) return true;
    if (!pattern.starts_with("*.")) return false;
    std::string_view suffix = std::string_view(pattern).substr(1);  // ".a.com"
    // Like OpenSSL, "*.com" is no wildcard: at least two labels must follow the "*".
    if (suffix.find('.', 1) == std::string_view::npos) return false;
    std::size_t dot = host.find('.');
    if (dot == std::string::npos || dot == 0) return false;
    return std::string_view(host).substr(dot) == suffix;
}

}  // namespace

bool name_covered(const std::vector<std::string>& dns_names, std::string_view hostname) {
    return std::any_of(dns_names.begin(), dns_names.end(), [&](const std::string& name) { return covers(name, hostname); });
}

}  // namespace crypto
