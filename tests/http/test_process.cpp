// The binary as a process: configuration errors, the listening line, bind failures, signals.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <cerrno>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <utility>

#include "support/api_client.hpp"
#include "storage/database.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"

using namespace test_support;

TEST_CASE("port 0 binds a free port and prints exactly one listening line") {
    auto result = run_emulator({"--help"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("--listen") != std::string::npos);

    ServerProcess server;
    CHECK(server.url().starts_with("http://127.0.0.1:"));
    CHECK(server.port() != 0);
    HttpClient client(server.host(), server.port());
    CHECK(client.request("GET", "/_emulator/health").status == 200);
}

TEST_CASE("--version prints the version and exits 0") {
    auto result = run_emulator({"--version"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.starts_with("csr-emulator "));
}

TEST_CASE("usage errors exit 2 with a clear message") {
    SUBCASE("unknown flag") {
        auto result = run_emulator({"--no-such-flag"});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("unknown option '--no-such-flag'") != std::string::npos);
        CHECK(result.out.empty());
    }
    SUBCASE("bad --threads value") {
        auto result = run_emulator({"--threads", "zero"});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("--threads") != std::string::npos);
    }
    SUBCASE("bad --listen value") {
        auto result = run_emulator({"--listen", "nonsense"});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("HOST:PORT") != std::string::npos);
    }
    SUBCASE("flag without its value") {
        auto result = run_emulator({"--db"});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("missing value") != std::string::npos);
    }
    SUBCASE("bad value from the environment") {
        auto result = run_emulator({}, std::chrono::seconds(10), {{"CSR_EMULATOR_LOG_LEVEL", "loud"}});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("--log-level") != std::string::npos);
    }
}

TEST_CASE("environment variables configure the server") {
    ServerProcess server({}, {{"CSR_EMULATOR_API_TOKENS", "env-secret"}});
    ApiClient good(server, {{"Authorization", "Bearer env-secret"}});
    ApiClient bad(server, {{"Authorization", "Bearer other"}});
    CHECK(good.get("/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs").status == 200);
    check_failure(bad.get("/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/custom_csrs"), 403, 10000);
}

TEST_CASE("a bind failure exits non-zero and names the address") {
    ServerProcess first;
    std::string address = first.host() + ":" + std::to_string(first.port());
    auto result = run_emulator({"--listen", address, "--db", ":memory:"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find(address) != std::string::npos);
    CHECK(result.out.find("listening") == std::string::npos);
}

TEST_CASE("a database newer than the binary is refused at start") {
    // Write a database whose user_version is from the future, then start on it.
    ServerProcess first;
    std::string db = first.db_path();
    CHECK(first.stop(SIGTERM) == 0);
    {
        storage::Database database(db);
        database.exec("PRAGMA user_version = 999");
    }
    auto result = run_emulator({"--db", db, "--listen", "127.0.0.1:0"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("newer than this csr-emulator supports") != std::string::npos);
}

TEST_CASE("SIGTERM and SIGINT stop the server with exit code 0 within 5 seconds") {
    for (int sig : {SIGTERM, SIGINT}) {
        CAPTURE(sig);
        ServerProcess server;
        HttpClient idle(server.host(), server.port());
        REQUIRE(idle.request("GET", "/_emulator/health").status == 200);  // an idle keep-alive connection
        CHECK(server.stop(sig, std::chrono::seconds(5)) == 0);
        REQUIRE(server.last_stop_duration());
        CHECK(server.last_stop_duration()->count() < 5000);
        CHECK(server.stderr_text().find("event=shutdown") != std::string::npos);
    }
}

TEST_CASE("one structured access-log line per request, without credentials") {
    ServerProcess server;
    ApiClient client(server, {{"Authorization", "Bearer super-secret-token"}, {"X-Auth-Key", "feedfacecafebeef0123456789abcdef01234"},
                              {"X-Auth-Email", "user@acme.io"}});
    client.get("/client/v4/zones/0123456789abcdef0123456789abcdef/custom_csrs");
    client.get("/client/v4/zones/0123456789abcdef0123456789abcdef/nothing");
    server.stop(SIGTERM);
    std::string log = server.stderr_text();
    CHECK(log.find("event=request") != std::string::npos);
    CHECK(log.find("method=GET path=/client/v4/zones/0123456789abcdef0123456789abcdef/custom_csrs status=200") != std::string::npos);
    CHECK(log.find("path=/client/v4/zones/0123456789abcdef0123456789abcdef/nothing status=404") != std::string::npos);
    CHECK(log.find("request_id=") != std::string::npos);
    CHECK(log.find("duration_ms=") != std::string::npos);
    CHECK(log.find("super-secret-token") == std::string::npos);
    CHECK(log.find("feedfacecafebeef") == std::string::npos);
}

namespace {

// A plain socket with receive/send timeouts: one health request, true when answered in time.
struct RawConnection {
    int fd = -1;
    RawConnection(unsigned short port, int timeout_ms) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(fd);
            fd = -1;
        }
    }
    ~RawConnection() {
        if (fd >= 0) close(fd);
    }
    RawConnection(RawConnection&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
    bool health_answered() const {
        static const std::string request = "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        if (fd < 0 || send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) return false;
        char buf[64];
        return recv(fd, buf, sizeof buf, 0) > 0 && std::string_view(buf, 12) == "HTTP/1.1 200";
    }
};

}  // namespace

TEST_CASE("an accept failure (too many open files) is logged, an idle connection is closed and the newcomer served") {
    // The connection cap is computed from the descriptor limit at start, so lowering the limit
    // afterwards makes accept itself fail.
    ServerProcess server;
    INFO("server stderr:\n" << server.stderr_text());  // evaluated only when a check fails
    // Lower the limit only once start-up is over (key workers and the trust loader running): under
    // UBSan the first virtual call of a new thread checks its vptr through a pipe, which cannot be
    // opened without descriptors, and reports a false "invalid vptr" that aborts the server.
    REQUIRE_EVENTUALLY(server.stderr_text().find("event=trust_store") != std::string::npos);
    // Kept open with the others: a connection the client closed but the server, busy, had not yet
    // seen close would be the oldest idle one, shed first, and no held connection would show it.
    std::vector<RawConnection> held;
    held.emplace_back(server.port(), 2000);
    REQUIRE(held.back().health_answered());
    // Leave the server few descriptors, then open idle keep-alive connections until one is not
    // accepted at once.
    std::string limit = "prlimit --pid " + std::to_string(server.pid()) + " --nofile=48:48";
    REQUIRE(std::system(limit.c_str()) == 0);
    for (int i = 0; i < 100; ++i) {
        RawConnection connection(server.port(), 3000);
        // Out of descriptors, the server closes the idle connection and answers this one.
        bool answered = connection.health_answered();
        REQUIRE(answered);
        held.push_back(std::move(connection));
        if (server.stderr_text().find("event=accept_failed") != std::string::npos) break;
    }
    CHECK_EVENTUALLY(server.stderr_text().find("event=accept_failed") != std::string::npos);
    CHECK(held.size() < 100);
    // At least one of the idle connections was closed by the server to make room.
    int closed = 0;
    for (auto& connection : held) {
        // Past the rest of its health response (only its first bytes were read), then: end of
        // stream or a reset means the server closed it.
        char buf[4096];
        for (;;) {
            ssize_t n = recv(connection.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) continue;
            if (n == 0 || errno == ECONNRESET) ++closed;
            break;
        }
    }
    CHECK(closed >= 1);
    // A newcomer is still answered.
    CHECK(RawConnection(server.port(), 3000).health_answered());
    CHECK(server.stop(SIGTERM) == 0);
}
