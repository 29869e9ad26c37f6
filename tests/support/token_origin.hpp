#pragma once
// A customer's HTTP origin for validation tests: serves fixed bodies at fixed paths (200),
// 404 elsewhere, on 127.0.0.1 and a free port, and remembers the User-Agent of each request.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

class TokenOrigin {
public:
    explicit TokenOrigin(std::map<std::string, std::string> bodies_by_path);
    ~TokenOrigin();
    TokenOrigin(const TokenOrigin&) = delete;
    TokenOrigin& operator=(const TokenOrigin&) = delete;

    unsigned short port() const { return port_; }
    // Serves `body` at `path` from now on (a token known only once the hostname exists).
    void set(const std::string& path, const std::string& body);
    std::vector<std::string> user_agents() const;  // of every request so far, in order

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    unsigned short port_ = 0;
};

}  // namespace test_support
