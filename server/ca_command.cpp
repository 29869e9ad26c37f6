#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/emulator/emulator_ca.hpp"
#include "crypto/error.hpp"
#include "server/key_encryption_setup.hpp"
#include "server/commands.hpp"
#include "server/emulator_ca_setup.hpp"
#include "storage/database.hpp"

namespace server {

// `csr-emulator ca sign --csr FILE [--days N]` and `csr-emulator ca root`, on the database and
// --ca-dir the server would use, so the CLI signs with the very CA the server trusts.
int run_ca_command(const std::vector<std::string>& args,
                   const std::function<std::optional<std::string>(const std::string&)>& env) {
    const char* usage = "usage: csr-emulator ca sign --csr FILE [--days N] [--db PATH] [--ca-dir DIR]\n"
                        "       csr-emulator ca root [--db PATH] [--ca-dir DIR]\n";
    if (args.empty() || (args[0] != "sign" && args[0] != "root")) {
        std::fputs(usage, stderr);
        return 2;
    }
    std::optional<std::string> csr_file;
    int days = api::default_certificate_days;
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--csr" && i + 1 < args.size()) {
            csr_file = args[++i];
        } else if (args[i] == "--days" && i + 1 < args.size()) {
            try {
                days = std::stoi(args[++i]);
            } catch (...) {
                days = 0;
            }
            if (days < 1 || days > api::max_certificate_days) {
                std::fprintf(stderr, "csr-emulator ca: --days must be 1 to %d\n", api::max_certificate_days);
                return 2;
            }
        } else {
            rest.push_back(args[i]);
        }
    }
    auto outcome = parse_config(rest, env);
    if (!outcome.config) {
        std::fputs(outcome.output.c_str(), outcome.exit_code == 0 ? stdout : stderr);
        return outcome.exit_code;
    }
    if (args[0] == "sign" && !csr_file) {
        std::fputs(usage, stderr);
        return 2;
    }
    try {
        storage::Database db(outcome.config->db_path);
        setup_key_encryption(*outcome.config, db);  // the CA's keys may be encrypted
        crypto::CaMaterial ca = load_emulator_ca(*outcome.config, db);
        if (args[0] == "root") {
            std::cout << ca.root_certificate_pem;
            return 0;
        }
        std::ifstream in(*csr_file, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "csr-emulator ca: cannot read %s\n", csr_file->c_str());
            return 1;
        }
        std::ostringstream csr;
        csr << in.rdbuf();
        std::cout << api::sign_with_emulator_ca(ca, csr.str(), days, std::chrono::system_clock::now());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "csr-emulator ca: %s\n", e.what());
        return 1;
    }
}

}  // namespace server
