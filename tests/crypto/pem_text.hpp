#pragma once
// Test-only PEM surgery without OpenSSL: the body of a PEM block as DER bytes and back, so tests
// can tamper with signed content.
#include <stdexcept>
#include <string>
#include <string_view>

namespace test_support {

inline constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// DER bytes of the first PEM block.
inline std::string pem_der(std::string_view pem) {
    auto begin = pem.find("-----\n");
    auto end = pem.find("\n-----END");
    if (begin == std::string_view::npos || end == std::string_view::npos) throw std::runtime_error("not PEM");
    std::string der;
    unsigned bits = 0;
    int nbits = 0;
    for (char c : pem.substr(begin + 6, end - begin - 6)) {
        auto v = kBase64.find(c);
        if (v == std::string_view::npos) continue;  // newlines and '=' padding
        bits = (bits << 6) | static_cast<unsigned>(v);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            der += static_cast<char>((bits >> nbits) & 0xff);
        }
    }
    return der;
}

inline std::string pem_wrap(std::string_view label, std::string_view der) {
    std::string b64;
    std::size_t i = 0;
    for (; i + 2 < der.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(der[i]) << 16) | (static_cast<unsigned char>(der[i + 1]) << 8) |
                     static_cast<unsigned char>(der[i + 2]);
        for (int shift : {18, 12, 6, 0}) b64 += kBase64[(v >> shift) & 63];
    }
    if (i < der.size()) {
        unsigned v = static_cast<unsigned char>(der[i]) << 16;
        if (i + 1 < der.size()) v |= static_cast<unsigned char>(der[i + 1]) << 8;
        b64 += kBase64[(v >> 18) & 63];
        b64 += kBase64[(v >> 12) & 63];
        b64 += i + 1 < der.size() ? kBase64[(v >> 6) & 63] : '=';
        b64 += '=';
    }
    std::string out = "-----BEGIN " + std::string(label) + "-----\n";
    for (std::size_t at = 0; at < b64.size(); at += 64) out += b64.substr(at, 64) + "\n";
    return out + "-----END " + std::string(label) + "-----\n";
}

}  // namespace test_support
