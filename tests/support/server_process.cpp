#include "support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/eventually.hpp"

extern char** environ;

namespace test_support {
namespace {

std::string make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "csr-emulator-e2e-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string entry = *e;
        std::string name = entry.substr(0, entry.find('='));
        // The child's configuration comes only from what the test passes.
        if (name.starts_with("CSR_EMULATOR_") || extra.count(name)) continue;
        env.push_back(entry);
    }
    for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
    return env;
}

// posix_spawn with stdout to a pipe (returned) and stderr to a file.
pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::string& err_path, int* stdout_fd) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    std::string binary = emulator_binary();
    std::vector<std::string> argv_storage{binary};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_storage = environment_with(env);
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = -1;
    int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (rc != 0) {
        close(pipe_fds[0]);
        throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
    }
    *stdout_fd = pipe_fds[0];
    return pid;
}

// Reads everything from fd until EOF or the deadline.
std::string read_until(int fd, std::chrono::steady_clock::time_point deadline, const std::string& stop_after = {}) {
    std::string text;
    char buf[4096];
    while (true) {
        if (!stop_after.empty()) {
            auto pos = text.find(stop_after);
            if (pos != std::string::npos && text.find('\n', pos) != std::string::npos) break;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
}

int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
    int status = 0;
    pid_t r = 0;
    if (eventually([&] { return (r = waitpid(pid, &status, WNOHANG)) != 0; }, timeout, std::chrono::milliseconds(5)))
        return r == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

}  // namespace

std::string emulator_binary() {
    if (const char* path = std::getenv("CSR_EMULATOR_BINARY")) return path;
    return CSR_EMULATOR_BINARY_PATH;
}

RunResult run_emulator(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                       const std::map<std::string, std::string>& env) {
    std::string dir = make_temp_dir();
    std::string err_path = dir + "/stderr.log";
    int out_fd = -1;
    pid_t pid = spawn(args, env, err_path, &out_fd);
    RunResult result;
    result.out = read_until(out_fd, std::chrono::steady_clock::now() + timeout);
    close(out_fd);
    result.exit_code = wait_exit(pid, timeout);
    result.err = read_file(err_path);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return result;
}

ServerProcess::ServerProcess(std::vector<std::string> args, const std::map<std::string, std::string>& env) {
    temp_dir_ = make_temp_dir();
    err_path_ = temp_dir_ + "/stderr.log";
    bool has_db = false, has_listen = false;
    for (const auto& a : args) {
        has_db = has_db || a == "--db" || a.starts_with("--db=");
        has_listen = has_listen || a == "--listen" || a.starts_with("--listen=");
    }
    if (!has_db) {
        db_path_ = temp_dir_ + "/emulator.sqlite3";
        args.insert(args.begin(), {"--db", db_path_});
    }
    if (!has_listen) args.insert(args.begin(), {"--listen", "127.0.0.1:0"});
    // The suites were written against statuses settled at creation (--validation off); a test
    // of the lifecycle passes its own --validation, which comes later and wins.
    args.insert(args.begin(), {"--validation", "off"});

    int out_fd = -1;
    pid_ = spawn(args, env, err_path_, &out_fd);
    const std::string marker = "csr-emulator listening on ";
    std::string out = read_until(out_fd, std::chrono::steady_clock::now() + std::chrono::seconds(20), marker);
    close(out_fd);
    auto pos = out.find(marker);
    if (pos == std::string::npos) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        throw std::runtime_error("emulator did not report listening; stdout='" + out + "' stderr='" +
                                 read_file(err_path_) + "'");
    }
    url_ = out.substr(pos + marker.size());
    url_ = url_.substr(0, url_.find('\n'));
    // With --api-tls-listen, the TLS line comes before.
    const std::string tls_marker = "csr-emulator API over TLS listening on ";
    if (auto tls = out.find(tls_marker); tls != std::string::npos) {
        tls_url_ = out.substr(tls + tls_marker.size());
        tls_url_ = tls_url_.substr(0, tls_url_.find('\n'));
    }
    std::string hostport = url_.substr(std::strlen("http://"));
    auto colon = hostport.rfind(':');
    host_ = hostport.substr(0, colon);
    port_ = static_cast<unsigned short>(std::stoi(hostport.substr(colon + 1)));
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) stop(SIGKILL);
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
}

int ServerProcess::stop(int signal_number, std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return -1;
    auto started = std::chrono::steady_clock::now();
    kill(pid_, signal_number);
    int code = wait_exit(pid_, timeout);
    stop_duration_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    pid_ = -1;
    return code;
}

std::string ServerProcess::stderr_text() const { return read_file(err_path_); }

}  // namespace test_support
