#pragma once
// Running the openssl command line, to cross-check what the emulator makes with the tool users
// check it with.
#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace test_support {

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
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.output.append(buf, n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace test_support
