#pragma once
// Shared by the crypto tests: fixtures that are expensive to make (RSA keys, CAs) are made once,
// and helpers to cross-check results with the openssl command line.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"
#include "crypto/test_ca.hpp"

namespace test_support {

// 2026-01-01T00:00:00Z: crypto/ never reads the clock, so the tests pin "now".
inline constexpr std::int64_t kNow = 1767225600;
inline constexpr std::int64_t kDay = 86400;

// A file under /tmp holding the given text, removed when the object goes.
class TempFile {
public:
    explicit TempFile(std::string_view content) {
        char name[] = "/tmp/csr-emulator-crypto-XXXXXX";
        int fd = mkstemp(name);
        if (fd < 0) throw std::runtime_error("mkstemp failed");
        path_ = name;
        std::size_t written = 0;
        while (written < content.size()) {
            ssize_t n = write(fd, content.data() + written, content.size() - written);
            if (n <= 0) {
                close(fd);
                throw std::runtime_error("write failed");
            }
            written += static_cast<std::size_t>(n);
        }
        close(fd);
    }
    ~TempFile() { unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

// Runs a shell command with stdin closed (so nothing can wait on a prompt).
inline CommandResult run(const std::string& command) {
    std::string full = command + " 2>&1 </dev/null";
    FILE* pipe = popen(full.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("popen failed");
    CommandResult result;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) result.output.append(buf, n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

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
    static const crypto::CaMaterial ca = crypto::create_test_ca(kNow);
    return ca;
}
inline const crypto::CaMaterial& other_ca() {
    static const crypto::CaMaterial ca = crypto::create_test_ca(kNow);
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
