#include "crypto/tls_context.hpp"

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>

#include "crypto/detail/ossl.hpp"

namespace crypto {

using namespace detail;

namespace {

X509Stack read_certificates(std::string_view pem) {
    X509Stack certs(sk_X509_new_null());
    check(certs != nullptr, "allocating a certificate list");
    auto bio = read_bio(pem);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, refuse_password, nullptr)) {
        if (!sk_X509_push(certs.get(), cert)) {
            X509_free(cert);
            throw_error("allocating a certificate list");
        }
    }
    ERR_clear_error();  // the end of the text reads as "no start line"
    if (sk_X509_num(certs.get()) == 0) throw Error("edge certificate: no certificate in the stored chain");
    return certs;
}

void add_pair(SSL_CTX* ctx, const TlsKeyPair& pair) {
    auto key_bio = read_bio(pair.private_key_pem);
    Pkey key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, refuse_password, nullptr));
    check(key != nullptr, "reading the edge private key");
    auto certs = read_certificates(pair.chain_pem);
    // The leaf is the certificate of this key, wherever the upload put it; the rest is the chain.
    X509Ptr leaf;
    X509Stack chain(sk_X509_new_null());
    check(chain != nullptr, "allocating a certificate list");
    while (sk_X509_num(certs.get()) > 0) {
        X509Ptr cert(sk_X509_shift(certs.get()));
        if (!leaf && X509_check_private_key(cert.get(), key.get()) == 1) {
            leaf = std::move(cert);
        } else {
            check(sk_X509_push(chain.get(), cert.get()) != 0, "allocating a certificate list");
            cert.release();
        }
    }
    ERR_clear_error();  // X509_check_private_key leaves mismatches on the queue
    if (!leaf) throw Error("edge certificate: no certificate of the stored chain matches its key");
    check(SSL_CTX_use_cert_and_key(ctx, leaf.get(), key.get(), chain.get(), 1) == 1,
          "installing the edge certificate");
}

int protocol_version(TlsVersion version) {
    switch (version) {
        case TlsVersion::tls1_0: return TLS1_VERSION;
        case TlsVersion::tls1_1: return TLS1_1_VERSION;
        case TlsVersion::tls1_2: return TLS1_2_VERSION;
        case TlsVersion::tls1_3: return TLS1_3_VERSION;
        case TlsVersion::library_default: break;
    }
    return 0;
}

// The host_name entry of a ClientHello's server_name extension (RFC 6066 §3), lower-cased.
std::string client_hello_server_name(SSL* ssl) {
    const unsigned char* p = nullptr;
    std::size_t len = 0;
    if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) || len < 2) return {};
    std::size_t list = (std::size_t{p[0]} << 8) | p[1];
    if (list + 2 != len) return {};
    std::size_t at = 2;
    while (at + 3 <= len) {
        unsigned type = p[at];
        std::size_t n = (std::size_t{p[at + 1]} << 8) | p[at + 2];
        at += 3;
        if (at + n > len) return {};
        if (type == TLSEXT_NAMETYPE_host_name) {
            std::string name(reinterpret_cast<const char*>(p + at), n);
            if (name.find('\0') != std::string::npos) return {};
            for (auto& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            if (!name.empty() && name.back() == '.') name.pop_back();
            return name;
        }
        at += n;
    }
    return {};
}

bool apply_policy(SSL* ssl, const TlsPolicy& policy) {
    // A hostname's min_tls_version "1.0" or "1.1" cannot lower the listener's TLS 1.2 floor.
    if (int min = protocol_version(policy.min_version); min > TLS1_2_VERSION && !SSL_set_min_proto_version(ssl, min))
        return false;
    if (!policy.allow_tls1_3 && !SSL_set_max_proto_version(ssl, TLS1_2_VERSION)) return false;
    if (!policy.ciphers.empty()) {
        std::string list;
        for (const auto& c : policy.ciphers) list += (list.empty() ? "" : ":") + c;
        // Cloudflare keeps the customer's order; names OpenSSL lacks were dropped before.
        if (!SSL_set_cipher_list(ssl, list.c_str())) return false;
        SSL_set_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
    }
    return true;
}

}  // namespace

ServerIdentity::ServerIdentity(const std::vector<TlsKeyPair>& pairs) {
    clear_errors();
    ctx_ = SSL_CTX_new(TLS_server_method());
    check(ctx_ != nullptr, "creating an edge TLS context");
    try {
        if (pairs.empty()) throw Error("edge certificate: nothing to serve");
        for (const auto& pair : pairs) add_pair(ctx_, pair);
    } catch (...) {
        SSL_CTX_free(ctx_);
        throw;
    }
}

ServerIdentity::~ServerIdentity() { SSL_CTX_free(ctx_); }

struct SniDispatch::State {
    TlsSelector selector;
    int alert;

    static int on_client_hello(SSL* ssl, int* alert, void* arg) noexcept {
        auto* self = static_cast<State*>(arg);
        *alert = self->alert;
        try {
            auto name = client_hello_server_name(ssl);
            if (name.empty()) return SSL_CLIENT_HELLO_ERROR;
            auto selection = self->selector(name);
            if (!selection || !selection->identity) return SSL_CLIENT_HELLO_ERROR;
            // The connection takes a reference on the chosen SSL_CTX, so a cache eviction cannot
            // pull it from under a handshake. Versions and ciphers are set on the connection:
            // SSL_set_SSL_CTX carries certificates, not those.
            if (!SSL_set_SSL_CTX(ssl, selection->identity->native()) || !apply_policy(ssl, selection->policy)) {
                *alert = SSL_AD_INTERNAL_ERROR;
                return SSL_CLIENT_HELLO_ERROR;
            }
            return SSL_CLIENT_HELLO_SUCCESS;
        } catch (...) {
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_CLIENT_HELLO_ERROR;
        }
    }
};

SniDispatch::SniDispatch(ssl_ctx_st* listener, TlsSelector selector, UnknownNameAlert alert)
    : state_(std::make_unique<State>(State{std::move(selector), alert == UnknownNameAlert::unrecognized_name
                                                                    ? SSL_AD_UNRECOGNIZED_NAME
                                                                    : SSL_AD_HANDSHAKE_FAILURE})) {
    SSL_CTX_set_client_hello_cb(listener, &State::on_client_hello, state_.get());
    // TLS 1.2 at least: OpenSSL 3 at the system's security level has no cipher suite left for
    // TLS 1.0/1.1, so a handshake allowed to settle there failed with internal_error; below the
    // floor, the client gets protocol_version, as from Cloudflare's edge.
    SSL_CTX_set_min_proto_version(listener, TLS1_2_VERSION);
    // Read and write buffers (about 34 KiB) are released while a connection has nothing in them:
    // an idle keep-alive connection costs little memory.
    SSL_CTX_set_mode(listener, SSL_MODE_RELEASE_BUFFERS);
}

SniDispatch::~SniDispatch() = default;

std::string openssl_cipher_name(std::string_view name) {
    std::string text(name);
    if (text.starts_with("TLS_")) {
        const char* mapped = OPENSSL_cipher_name(text.c_str());
        return mapped && std::string_view(mapped) != "(NONE)" ? mapped : "";
    }
    // BoringSSL's pre-RFC 7905 ChaCha20 names; everything else is spelled as OpenSSL does.
    if (text.ends_with("-OLD")) text.resize(text.size() - 4);
    STACK_OF(SSL_CIPHER)* known = nullptr;
    static const SSL_CTX* all = [] {
        SSL_CTX* ctx = SSL_CTX_new(TLS_method());
        if (ctx) SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
        return ctx;
    }();
    if (all) known = SSL_CTX_get_ciphers(all);
    for (int i = 0; known && i < sk_SSL_CIPHER_num(known); ++i)
        if (text == SSL_CIPHER_get_name(sk_SSL_CIPHER_value(known, i))) return text;
    return "";
}

}  // namespace crypto
