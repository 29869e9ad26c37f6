// The verdict on an uploaded certificate: the checks, in the order Cloudflare reports them.
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>

#include "crypto/certificate.hpp"
#include "crypto/detail/certificates.hpp"
#include "crypto/detail/names.hpp"
#include "crypto/detail/pkey.hpp"
#include "crypto/detail/trust_store_access.hpp"

namespace crypto {
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
    int min_bits = l.public_key_type == "RSA" ? check.min_rsa_bits : l.public_key_type == "EC" ? check.min_ec_bits : 0;
    if (l.public_key_bits < min_bits)
        return fail(CertificateProblem::weak_key, l.public_key_type + " key of " + std::to_string(l.public_key_bits) +
                                                      " bits, under the " + std::to_string(min_bits) + " required");
    // OpenSSL's verifier counts the notAfter second itself as expired (RFC 5280 says inclusive);
    // agreeing with it keeps that second from surfacing as "untrusted: certificate has expired".
    if (check.now >= l.not_after)
        return fail(CertificateProblem::expired, {});
    if (check.now < l.not_before)
        return fail(CertificateProblem::not_yet_valid, {});
    if (check.min_remaining_seconds > 0 && l.not_after - check.now <= check.min_remaining_seconds)
        return fail(CertificateProblem::expires_soon, {});

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

}  // namespace crypto
