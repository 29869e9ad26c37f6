// crypto/tls_context in a real (in-memory) handshake: the SNI selector's choice is what the
// client gets, and a hostname carrying RSA and ECDSA certificates serves the one the client's
// signature algorithms allow.
#include <doctest/doctest.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "crypto/emulator_ca.hpp"  // create_self_signed
#include "crypto/error.hpp"
#include "crypto/keys.hpp"
#include "crypto/tls_context.hpp"

namespace {

// Certificates valid from a day before to 90 days after this (2026-01-01); the handshakes here
// do not verify them, so they need not be valid today.
constexpr std::int64_t identity_issued_at = 1767225600;
constexpr std::int64_t identity_day = 86400;

crypto::SignOptions validity() {
    crypto::SignOptions options;
    options.not_before = identity_issued_at - identity_day;
    options.not_after = identity_issued_at + 90 * identity_day;
    return options;
}

struct Handshake {
    bool ok = false;
    int peer_key_type = 0;  // EVP_PKEY_RSA / EVP_PKEY_EC
    std::string asked_name;
};

// One client/server handshake over a BIO pair. `client_sigalgs` limits what the client accepts.
Handshake handshake(const crypto::ServerIdentity& identity, const char* client_sigalgs, const char* sni) {
    Handshake result;
    SSL_CTX* listener = SSL_CTX_new(TLS_server_method());
    SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
    REQUIRE(SSL_CTX_set1_sigalgs_list(client_ctx, client_sigalgs) == 1);
    {
        crypto::SniDispatch dispatch(
            listener,
            [&](const std::string& name) -> std::optional<crypto::TlsSelection> {
                result.asked_name = name;
                if (name != "dual.edge-test.io") return std::nullopt;
                // Not owned here: the test keeps `identity` alive; the deleter does nothing.
                return crypto::TlsSelection{std::shared_ptr<const crypto::ServerIdentity>(&identity, [](auto*) {}), {}};
            },
            crypto::UnknownNameAlert::handshake_failure);
        SSL* server = SSL_new(listener);
        SSL* client = SSL_new(client_ctx);
        if (sni) SSL_set_tlsext_host_name(client, sni);
        BIO *server_bio = nullptr, *client_bio = nullptr;
        REQUIRE(BIO_new_bio_pair(&server_bio, 0, &client_bio, 0) == 1);
        SSL_set_bio(server, server_bio, server_bio);
        SSL_set_bio(client, client_bio, client_bio);
        SSL_set_accept_state(server);
        SSL_set_connect_state(client);
        for (int round = 0; round < 20 && !result.ok; ++round) {
            int c = SSL_do_handshake(client);
            int s = SSL_do_handshake(server);
            if (c == 1 && s == 1) result.ok = true;
            if ((c <= 0 && SSL_get_error(client, c) == SSL_ERROR_SSL) ||
                (s <= 0 && SSL_get_error(server, s) == SSL_ERROR_SSL))
                break;
        }
        if (result.ok) {
            X509* peer = SSL_get1_peer_certificate(client);
            result.peer_key_type = EVP_PKEY_get_base_id(X509_get0_pubkey(peer));
            X509_free(peer);
        }
        SSL_free(client);
        SSL_free(server);
        ERR_clear_error();
    }
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(listener);
    return result;
}

}  // namespace

TEST_CASE("a hostname with RSA and ECDSA certificates serves the one the client can verify") {
    auto options = validity();
    std::vector<std::string> names{"dual.edge-test.io"};
    auto rsa_key = crypto::generate_private_key(crypto::KeyType::rsa2048);
    auto ec_key = crypto::generate_private_key(crypto::KeyType::p256v1);
    crypto::ServerIdentity identity({{crypto::create_self_signed(rsa_key, names, options), rsa_key},
                                     {crypto::create_self_signed(ec_key, names, options), ec_key}});

    auto ecdsa_client = handshake(identity, "ECDSA+SHA256", "dual.edge-test.io");
    CHECK(ecdsa_client.ok);
    CHECK(ecdsa_client.peer_key_type == EVP_PKEY_EC);
    auto rsa_client = handshake(identity, "RSA-PSS+SHA256:RSA+SHA256", "dual.edge-test.io");
    CHECK(rsa_client.ok);
    CHECK(rsa_client.peer_key_type == EVP_PKEY_RSA);
    CHECK(rsa_client.asked_name == "dual.edge-test.io");

    SUBCASE("the name is asked lower-case; unknown names and no SNI fail the handshake") {
        CHECK(handshake(identity, "ECDSA+SHA256", "DUAL.Edge-Test.io").ok);
        CHECK_FALSE(handshake(identity, "ECDSA+SHA256", "other.edge-test.io").ok);
        CHECK_FALSE(handshake(identity, "ECDSA+SHA256", nullptr).ok);
    }
}

TEST_CASE("a key with no certificate of its own is refused when the identity is built") {
    auto options = validity();
    auto key = crypto::generate_private_key(crypto::KeyType::p256v1);
    auto other = crypto::generate_private_key(crypto::KeyType::p256v1);
    CHECK_THROWS_AS(crypto::ServerIdentity({{crypto::create_self_signed(other, {"a.edge-test.io"}, options), key}}),
                    crypto::Error);
    CHECK_THROWS_AS(crypto::ServerIdentity({}), crypto::Error);
}
