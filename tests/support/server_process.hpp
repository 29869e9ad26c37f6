#pragma once
// The real csr-emulator binary as a child process: started on port 0 with a temporary database,
// ready when it prints its "listening on" line, stopped with a signal.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace test_support {

// Path of the csr-emulator binary under test (set by CMake).
std::string emulator_binary();

struct RunResult {
    int exit_code = -1;   // -1 when killed by a signal or timed out
    std::string out, err;
};

// Runs the binary to completion (for --help, bad flags, subcommands); kills it after `timeout`.
RunResult run_emulator(const std::vector<std::string>& args, std::chrono::milliseconds timeout = std::chrono::seconds(20),
                       const std::map<std::string, std::string>& env = {});

class ServerProcess {
public:
    // Starts `csr-emulator --listen 127.0.0.1:0 <args>`; with no --db in args a fresh temporary
    // database file is used. Throws if the listening line does not come within 20 s.
    explicit ServerProcess(std::vector<std::string> args = {}, const std::map<std::string, std::string>& env = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    const std::string& url() const { return url_; }        // "http://127.0.0.1:PORT"
    const std::string& tls_url() const { return tls_url_; }  // "https://127.0.0.1:PORT" with --api-tls-listen
    const std::string& host() const { return host_; }
    unsigned short port() const { return port_; }
    const std::string& db_path() const { return db_path_; }
    pid_t pid() const { return pid_; }

    // Sends the signal and waits; returns the exit code (-1 if killed by a signal or timeout).
    int stop(int signal_number, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::optional<std::chrono::milliseconds> last_stop_duration() const { return stop_duration_; }
    std::string stderr_text() const;  // the log so far

private:
    pid_t pid_ = -1;
    std::string url_, tls_url_, host_, db_path_, temp_dir_, err_path_;
    unsigned short port_ = 0;
    std::optional<std::chrono::milliseconds> stop_duration_;
};

}  // namespace test_support
