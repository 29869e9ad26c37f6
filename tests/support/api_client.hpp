#pragma once
// The end-to-end client: HTTP to a running emulator, with every response body validated against
// the contract (a violation fails the current test with its JSON path).
#include <string>

#include <nlohmann/json.hpp>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace test_support {

inline const Headers default_auth = {{"Authorization", "Bearer test"}};

class ApiClient {
public:
    explicit ApiClient(const ServerProcess& server, Headers auth = default_auth);
    ApiClient(const std::string& host, unsigned short port, Headers auth = default_auth);

    HttpResponse get(const std::string& path);
    HttpResponse post(const std::string& path, const nlohmann::json& body);
    HttpResponse patch(const std::string& path, const nlohmann::json& body);
    HttpResponse put(const std::string& path, const nlohmann::json& body);
    HttpResponse del(const std::string& path);
    // Any method, raw body, headers replacing the default auth.
    HttpResponse send(const std::string& method, const std::string& path, const std::string& body,
                      const Headers& headers);

private:
    HttpResponse checked(const std::string& method, const std::string& path, const std::string& body,
                         const Headers& headers);
    HttpClient http_;
    Headers auth_;
};

// Asserts the failure envelope: status, first error code, success false, result null.
void check_failure(const HttpResponse& response, int status, int code);

// The first error's message of a failure envelope.
std::string error_message(const HttpResponse& response);

// Moves the emulator's clock forward (POST /_emulator/clock {"advance": by}, e.g. "1s", "91d"),
// for a test that needs time to pass inside the emulator without sleeping through it.
void advance_clock(ApiClient& client, const std::string& by);

}  // namespace test_support
