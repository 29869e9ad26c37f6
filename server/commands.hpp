#pragma once
// Subcommands of the csr-emulator binary besides serving.
#include <string>
#include <vector>

namespace server {

// `csr-emulator healthcheck [--listen HOST:PORT]`: exit 0 when the emulator at that address
// (default: CSR_EMULATOR_LISTEN, else the default listen address) answers /_emulator/health.
int run_healthcheck(const std::vector<std::string>& args);

}  // namespace server
