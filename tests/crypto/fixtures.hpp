#pragma once
// Shared by the crypto tests: fixtures that are expensive to make (RSA keys, CAs) are made once,
// a pinned "now", and the shared helpers to cross-check results with the openssl command line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/emulator_ca.hpp"
#include "crypto/keys.hpp"
#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"
#include "support/time_text.hpp"

namespace test_support {

// 2026-01-01T00:00:00Z: crypto/ never reads the clock, so the tests pin "now".
inline constexpr std::int64_t kNow = 1767225600;

inline const std::string& rsa_key() {
    static const std::string key = crypto::generate_private_key(crypto::KeyType::rsa2048);
    return key;
}
inline const std::string& p256_key() {
    static const std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    return key;
}
inline const std::string& other_p256_key() {
    static const std::string key = crypto::generate_private_key(crypto::KeyType::p256v1);
    return key;
}
inline const crypto::CaMaterial& test_ca() {
    static const crypto::CaMaterial ca = crypto::create_emulator_ca(kNow);
    return ca;
}
inline const crypto::CaMaterial& other_ca() {
    static const crypto::CaMaterial ca = crypto::create_emulator_ca(kNow);
    return ca;
}

// Counts non-overlapping occurrences.
inline std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

}  // namespace test_support

namespace test_support {

// The PEM blocks of a bundle, each with its trailing newline.
inline std::vector<std::string> pem_blocks(std::string_view bundle) {
    std::vector<std::string> blocks;
    static constexpr std::string_view end = "-----END CERTIFICATE-----\n";
    std::size_t from = 0;
    for (std::size_t at = bundle.find(end); at != std::string_view::npos; at = bundle.find(end, from)) {
        blocks.emplace_back(bundle.substr(from, at + end.size() - from));
        from = at + end.size();
    }
    return blocks;
}

}  // namespace test_support
