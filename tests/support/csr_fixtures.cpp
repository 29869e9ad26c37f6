#include "support/csr_fixtures.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "support/temp_dir.hpp"

namespace test_support {
namespace {

struct Output {
    int exit_code;
    std::string text;
};

Output run_openssl_req(const std::string& csr_pem, const std::string& flags) {
    TempDir dir;
    std::string path = dir.file("csr.pem");
    std::ofstream(path) << csr_pem;
    std::string command = "openssl req -in '" + path + "' -noout " + flags + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return {-1, {}};
    std::string text;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
    int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

}  // namespace

bool openssl_verifies_csr(const std::string& csr_pem) {
    // OpenSSL 3.0 exits 0 even on a bad self-signature; the printed verdict is what counts.
    auto out = run_openssl_req(csr_pem, "-verify");
    return out.exit_code == 0 && out.text.find("verify OK") != std::string::npos &&
           out.text.find("verify failure") == std::string::npos;
}

std::string openssl_csr_text(const std::string& csr_pem) { return run_openssl_req(csr_pem, "-text").text; }

}  // namespace test_support
