#pragma once
// Errors as Cloudflare reports them: an HTTP status plus one or more {code, message} items.
// Handlers throw ApiError with a catalogue entry; api::Service turns it into the failure envelope.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"

namespace api {

struct ErrorItem {
    int code = 0;
    std::string message;
    std::vector<ErrorItem> chain;  // Cloudflare's "error_chain" (gateway errors)
};

// One row of an error catalogue (errors_catalogue.hpp).
struct ErrorSpec {
    int status;
    int code;
    std::string_view message;
};

class ApiError : public std::exception {
public:
    explicit ApiError(const ErrorSpec& spec);
    ApiError(const ErrorSpec& spec, std::string message);  // the catalogued code with a filled-in message
    ApiError(int status, std::vector<ErrorItem> errors, HeaderList headers = {});

    int status() const noexcept { return status_; }
    const std::vector<ErrorItem>& errors() const noexcept { return errors_; }
    const HeaderList& headers() const noexcept { return headers_; }
    int code() const noexcept { return errors_.empty() ? 0 : errors_.front().code; }
    const char* what() const noexcept override { return what_.c_str(); }

private:
    int status_;
    std::vector<ErrorItem> errors_;
    HeaderList headers_;
    std::string what_;
};

// Fills Cloudflare's "%s" / "%d" placeholder in a catalogued message.
std::string fill(std::string_view message, std::string_view value);

}  // namespace api
