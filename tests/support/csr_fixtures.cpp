#include "support/csr_fixtures.hpp"

#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"

namespace test_support {
namespace {

CommandResult run_openssl_req(const std::string& csr_pem, const std::string& flags) {
    TempFile file(csr_pem);
    return run("openssl req -in '" + file.path() + "' -noout " + flags);
}

}  // namespace

bool openssl_verifies_csr(const std::string& csr_pem) {
    // OpenSSL 3.0 exits 0 even on a bad self-signature; the printed verdict is what counts.
    auto out = run_openssl_req(csr_pem, "-verify");
    return out.exit_code == 0 && out.output.find("verify OK") != std::string::npos &&
           out.output.find("verify failure") == std::string::npos;
}

std::string openssl_csr_text(const std::string& csr_pem) { return run_openssl_req(csr_pem, "-text").output; }

}  // namespace test_support
