#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <array>
#include <vector>

#include "crypto/detail/ossl.hpp"

namespace crypto {
namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 0x0f];
    }
    return out;
}

}  // namespace

std::string random_hex(std::size_t n) {
    std::vector<unsigned char> bytes(n);
    detail::clear_errors();
    detail::check(RAND_bytes(bytes.data(), static_cast<int>(n)) == 1, "RAND_bytes");
    return to_hex(bytes.data(), n);
}

std::string random_uuid() {
    std::array<unsigned char, 16> b{};
    detail::clear_errors();
    detail::check(RAND_bytes(b.data(), static_cast<int>(b.size())) == 1, "RAND_bytes");
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string hex = to_hex(b.data(), b.size());
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

}  // namespace crypto
