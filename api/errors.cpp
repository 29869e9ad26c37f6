#include "api/errors.hpp"

namespace api {

ApiError::ApiError(const ErrorSpec& spec) : ApiError(spec, std::string(spec.message)) {}

ApiError::ApiError(const ErrorSpec& spec, std::string message)
    : ApiError(spec.status, {ErrorItem{spec.code, std::move(message), {}}}) {}

ApiError::ApiError(int status, std::vector<ErrorItem> errors, HeaderList headers)
    : status_(status), errors_(std::move(errors)), headers_(std::move(headers)) {
    what_ = "HTTP " + std::to_string(status_);
    for (const auto& e : errors_) what_ += " [" + std::to_string(e.code) + "] " + e.message;
}

std::string fill(std::string_view message, std::string_view value) {
    std::string out(message);
    for (std::string_view placeholder : {"%s", "%d"}) {
        if (auto pos = out.find(placeholder); pos != std::string::npos) {
            out.replace(pos, placeholder.size(), value);
            break;
        }
    }
    return out;
}

}  // namespace api
