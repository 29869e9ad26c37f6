#pragma once
// Subcommands of the csr-emulator binary besides serving.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace server {

// `csr-emulator healthcheck [--listen HOST:PORT]`: exit 0 when the emulator at that address
// (default: CSR_EMULATOR_LISTEN, else the default listen address) answers /_emulator/health.
int run_healthcheck(const std::vector<std::string>& args);

// `csr-emulator ca sign --csr FILE [--days N]`: print the leaf + intermediate chain the test CA
// issues for the CSR; `csr-emulator ca root`: print the test root.
int run_ca_command(const std::vector<std::string>& args,
                   const std::function<std::optional<std::string>(const std::string&)>& env);

}  // namespace server
