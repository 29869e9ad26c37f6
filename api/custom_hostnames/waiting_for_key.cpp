#include "api/custom_hostnames/waiting_for_key.hpp"

#include <memory>
#include <optional>

#include "api/context.hpp"
#include "api/custom_hostnames/hostname_state.hpp"
#include "api/guarded.hpp"
#include "api/key_pool.hpp"

namespace api {
namespace {

struct Waiting {
    std::shared_ptr<const SyncHandler> handler;
    Request request;  // a copy: the caller's is only valid during its call
    Completion done;
};

// Once a key is ready: runs the handler again, on the key worker's thread (or the caller's, when
// one was ready by then), where a failure becomes its envelope; waits again if another request
// took the key first.
void run_when_key_ready(const std::shared_ptr<Waiting>& waiting, Context& context) {
    context.keys.when_rsa2048_ready([waiting, &context] {
        std::optional<Response> response;
        try {
            response = (*waiting->handler)(waiting->request, context);
        } catch (const KeyNotReady&) {
            run_when_key_ready(waiting, context);
            return;
        } catch (...) {
            response = failure_of_current_exception(context, RequestLabel::of(waiting->request));
        }
        waiting->done(std::move(*response));
    });
}

}  // namespace

Handler waiting_for_rsa_key(SyncHandler handler) {
    auto shared = std::make_shared<const SyncHandler>(std::move(handler));
    return [shared](const Request& request, Context& context, Completion done) {
        std::optional<Response> response;
        try {
            response = (*shared)(request, context);  // what else it throws, the caller answers
        } catch (const KeyNotReady&) {
            run_when_key_ready(std::make_shared<Waiting>(Waiting{shared, request, std::move(done)}), context);
            return;
        }
        done(std::move(*response));
    };
}

}  // namespace api
