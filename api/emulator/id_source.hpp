#pragma once
// Where new ids, tokens and serial numbers come from: OpenSSL's DRBG by default, or a seeded
// SplitMix64 (--seed) so the same seed and the same requests give the same ids in every run.
// Thread-safe; with a seed the sequence follows the order of the calls, so a replay is exact
// when requests arrive in the same order (one client, or a suite that waits for each answer).
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "api/emulator/splitmix.hpp"

namespace api::emulator {

class IdSource {
public:
    IdSource() = default;                      // random
    explicit IdSource(std::uint64_t seed);     // deterministic

    bool deterministic() const noexcept { return generator_.has_value(); }

    // RFC 4122 version-4 shape: "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", lowercase.
    std::string uuid();
    // n bytes as 2n lowercase hex characters (tokens such as DCV values).
    std::string hex(std::size_t n);
    // A positive certificate serial number of `n` bytes (top bit clear, never zero), in hex; the
    // hook crypto/ can take instead of drawing its own random serial.
    std::string serial_hex(std::size_t n = 16);

private:
    std::string bytes_hex(std::size_t n);  // under lock when deterministic
    std::mutex mutex_;
    std::optional<SplitMix64> generator_;
};

}  // namespace api::emulator
