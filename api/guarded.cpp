#include "api/guarded.hpp"

#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"

namespace api {

RequestLabel RequestLabel::of(const Request& request) {
    return RequestLabel{request.request_id, request.method, request.path};
}

Response failure_of_current_exception(Context& context, const RequestLabel& label) noexcept {
    try {
        try {
            throw;
        } catch (const ApiError& error) {
            return failure(error);
        } catch (const std::exception& error) {
            context.log(LogLevel::error, "unhandled_exception",
                        {{"request_id", label.request_id},
                         {"method", label.method},
                         {"path", label.path},
                         {"error", error.what()}});
        } catch (...) {
            context.log(LogLevel::error, "unhandled_exception",
                        {{"request_id", label.request_id}, {"method", label.method}, {"path", label.path}});
        }
        return failure(ApiError(gateway_errors::internal));
    } catch (...) {
        // Even building the 500 failed (out of memory); a bare 500 is all that is left.
        Response response;
        response.status = 500;
        return response;
    }
}

Response guarded(Context& context, const RequestLabel& label, const std::function<Response()>& produce) noexcept {
    try {
        return produce();
    } catch (...) {
        return failure_of_current_exception(context, label);
    }
}

}  // namespace api
