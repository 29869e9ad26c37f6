#pragma once
// The one catch-all: whatever a handler throws becomes a Cloudflare envelope (an ApiError its
// own; anything else 500 / 1500 with an error log line). Service runs every handler inside it;
// handlers that answer later (from a key worker, a timer) call guarded() where they finish.
#include <functional>
#include <string>

#include "api/context.hpp"
#include "api/http_types.hpp"

namespace api {

// What a log line needs to name a request, kept by handlers that answer later instead of the
// whole request (body included).
struct RequestLabel {
    std::string request_id, method, path;
    static RequestLabel of(const Request& request);
};

// Runs `produce`, turning an ApiError into its envelope and any other exception into 500/1500
// plus an error log line.
Response guarded(Context& context, const RequestLabel& label, const std::function<Response()>& produce) noexcept;

// The answer to the exception being handled; call only inside a catch block.
Response failure_of_current_exception(Context& context, const RequestLabel& label) noexcept;

}  // namespace api
