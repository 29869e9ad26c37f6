#include "crypto/digest.hpp"

#include <openssl/evp.h>

#include <array>

#include "crypto/detail/algorithms.hpp"
#include "crypto/detail/ossl.hpp"

namespace crypto {

std::string sha256_base64url(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    detail::clear_errors();
    detail::check(EVP_Digest(data.data(), data.size(), digest.data(), &size, detail::sha256(), nullptr) == 1, "EVP_Digest");
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned int bits = 0, value = 0;
    for (unsigned int i = 0; i < size; ++i) {
        value = (value << 8) | digest[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(value >> bits) & 0x3f];
        }
    }
    if (bits > 0) out += alphabet[(value << (6 - bits)) & 0x3f];
    return out;
}

}  // namespace crypto
