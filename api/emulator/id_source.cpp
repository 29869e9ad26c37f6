#include "api/emulator/id_source.hpp"

#include "crypto/random.hpp"

namespace api::emulator {

IdSource::IdSource(std::uint64_t seed) : generator_(SplitMix64(seed)) {}

std::string IdSource::bytes_hex(std::size_t n) {
    if (!generator_) return crypto::random_hex(n);
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    std::lock_guard lock(mutex_);
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 8 == 0) word = generator_->next();
        unsigned byte = static_cast<unsigned>(word & 0xff);
        word >>= 8;
        out += digits[byte >> 4];
        out += digits[byte & 0xf];
    }
    return out;
}

std::string IdSource::uuid() {
    if (!generator_) return crypto::random_uuid();
    std::string h = bytes_hex(16);
    h[12] = '4';                                        // version 4
    h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 0x3];  // RFC 4122 variant
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' + h.substr(20);
}

std::string IdSource::hex(std::size_t n) { return bytes_hex(n); }

std::string IdSource::serial_hex(std::size_t n) {
    if (n == 0) n = 1;
    std::string h = bytes_hex(n);
    // Positive in DER (top bit clear) and never zero, as RFC 5280 asks.
    h[0] = "01234567"[std::stoi(h.substr(0, 1), nullptr, 16) & 0x7];
    if (h.find_first_not_of('0') == std::string::npos) h.back() = '1';
    return h;
}

}  // namespace api::emulator
