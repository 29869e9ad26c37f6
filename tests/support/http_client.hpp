#pragma once
// A small blocking HTTP/1.1 client for end-to-end tests (one keep-alive connection).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::optional<std::string> header(const std::string& name) const;  // case-insensitive
    nlohmann::json json() const;  // throws when the body is not JSON
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
public:
    HttpClient(std::string host, unsigned short port);
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;

    HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                         const Headers& headers = {});
    bool connected() const;  // false once the server closed the connection

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Writes raw bytes on a fresh connection and returns everything the server sends until it
// closes (or 10 s pass): for malformed requests no client library would send.
std::string raw_exchange(const std::string& host, unsigned short port, const std::string& bytes);

}  // namespace test_support
