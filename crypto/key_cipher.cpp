#include "crypto/key_cipher.hpp"

#include <cctype>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/detail/algorithms.hpp"
#include "crypto/detail/ossl.hpp"

namespace crypto {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, detail::Free<EVP_CIPHER_CTX_free>>;

constexpr std::size_t nonce_size = 12;  // 96 bits, GCM's native nonce
constexpr std::size_t tag_size = 16;

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Strict base64 with padding; nullopt-like empty result with ok=false on anything else.
bool unbase64(std::string_view text, std::vector<unsigned char>& out) {
    if (text.empty() || text.size() % 4 != 0) return false;
    for (char c : text)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return false;
    out.assign(text.size() / 4 * 3, 0);
    ERR_clear_error();
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return false;
    std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    out.resize(static_cast<std::size_t>(n) - padding);
    return true;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void fail(const std::string& what) {
    ERR_clear_error();
    throw Error(what);
}

}  // namespace

KeyCipher KeyCipher::from_text(std::string_view text) {
    text = trimmed(text);
    std::array<unsigned char, 32> key{};
    if (text.size() == 64) {
        for (std::size_t i = 0; i < 32; ++i) {
            int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
            if (hi < 0 || lo < 0) fail("key-encryption key: 64 characters but not hex");
            key[i] = static_cast<unsigned char>(hi * 16 + lo);
        }
        return KeyCipher(key);
    }
    std::vector<unsigned char> bytes;
    if (!unbase64(text, bytes) || bytes.size() != 32)
        fail("key-encryption key: expected 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)");
    std::copy(bytes.begin(), bytes.end(), key.begin());
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return KeyCipher(key);
}

std::string KeyCipher::seal(std::string_view plaintext, std::string_view associated_data) const {
    ERR_clear_error();
    std::vector<unsigned char> out(nonce_size + tag_size + plaintext.size());
    unsigned char* nonce = out.data();
    unsigned char* tag = nonce + nonce_size;
    unsigned char* ciphertext = tag + tag_size;
    if (RAND_bytes(nonce, nonce_size) != 1) detail::throw_error("RAND_bytes");
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), detail::aes_256_gcm(), key_.data(), nonce, nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated_data.data()),
                          static_cast<int>(associated_data.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), ciphertext, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), ciphertext + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), tag) != 1)
        detail::throw_error("AES-256-GCM encryption");
    return std::string(sealed_key_prefix) + base64(out.data(), out.size());
}

std::string KeyCipher::open(std::string_view sealed, std::string_view associated_data) const {
    if (!is_sealed(sealed)) fail("not an encrypted key (no " + std::string(sealed_key_prefix) + " prefix)");
    std::vector<unsigned char> in;
    if (!unbase64(sealed.substr(sealed_key_prefix.size()), in) || in.size() < nonce_size + tag_size)
        fail("encrypted key: malformed");
    unsigned char* nonce = in.data();
    unsigned char* tag = nonce + nonce_size;
    unsigned char* ciphertext = tag + tag_size;
    std::size_t size = in.size() - nonce_size - tag_size;
    std::string plaintext(size, '\0');
    auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
    ERR_clear_error();
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), detail::aes_256_gcm(), key_.data(), nonce, nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated_data.data()),
                          static_cast<int>(associated_data.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &len, ciphertext, static_cast<int>(size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size), tag) != 1)
        detail::throw_error("AES-256-GCM decryption");
    int final_len = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) != 1) {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        fail("encrypted key does not authenticate: another key-encryption key, another row, or altered data");
    }
    return plaintext;
}

}  // namespace crypto
