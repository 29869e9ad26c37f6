#pragma once
// Server-side TLS for the edge: certificate + key sets built once and shared, and the choice of
// one of them per connection from the client's server name (SNI), made in OpenSSL's client-hello
// callback so per-name protocol versions and ciphers can still be set on that connection.
// The server layer owns the listener's SSL_CTX (through Asio) and hands its native handle here.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct ssl_ctx_st;

namespace crypto {

struct TlsKeyPair {
    std::string chain_pem;        // leaf and intermediates, any order
    std::string private_key_pem;  // the leaf's key
};

// One SSL_CTX holding one certificate chain per key type (say RSA and ECDSA): OpenSSL presents
// the one the client's signature algorithms allow. Immutable once built; share it freely.
class ServerIdentity {
public:
    // Throws crypto::Error when a key or chain does not parse, or no certificate matches a key.
    explicit ServerIdentity(const std::vector<TlsKeyPair>& pairs);
    ~ServerIdentity();
    ServerIdentity(const ServerIdentity&) = delete;
    ServerIdentity& operator=(const ServerIdentity&) = delete;
    ssl_ctx_st* native() const noexcept { return ctx_; }

private:
    ssl_ctx_st* ctx_ = nullptr;
};

enum class TlsVersion { library_default, tls1_0, tls1_1, tls1_2, tls1_3 };

struct TlsPolicy {
    TlsVersion min_version = TlsVersion::library_default;
    bool allow_tls1_3 = true;
    std::vector<std::string> ciphers;  // OpenSSL names, preference order; TLS 1.2 and below only
};

struct TlsSelection {
    std::shared_ptr<const ServerIdentity> identity;
    TlsPolicy policy;
};

enum class UnknownNameAlert { handshake_failure, unrecognized_name };

// The question asked at every handshake: what to present for this server name (lower-case, as
// the client sent it). nullopt, or no SNI at all: the handshake fails with the alert given.
using TlsSelector = std::function<std::optional<TlsSelection>(const std::string& server_name)>;

// Installs the selector on a listener's SSL_CTX, and sets the listener's protocol floor at TLS 1.2
// (older versions get the protocol_version alert; a hostname's lower min_tls_version does not
// lower it). The returned object must outlive every connection made from that SSL_CTX (the
// callback refers to it).
class SniDispatch {
public:
    SniDispatch(ssl_ctx_st* listener, TlsSelector selector, UnknownNameAlert alert);
    ~SniDispatch();
    SniDispatch(const SniDispatch&) = delete;
    SniDispatch& operator=(const SniDispatch&) = delete;

    struct State;

private:
    std::unique_ptr<State> state_;
};

// A cipher name as Cloudflare documents it (BoringSSL names, or IANA "TLS_..." names) in
// OpenSSL's spelling; empty when OpenSSL does not know it.
std::string openssl_cipher_name(std::string_view name);

}  // namespace crypto
