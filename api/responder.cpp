#include "api/responder.hpp"

#include <atomic>

#include "api/envelope.hpp"
#include "api/errors_catalogue.hpp"

namespace api {

struct Responder::State {
    Completion done;
    std::atomic<bool> answered{false};

    bool deliver(Response response) noexcept {
        if (answered.exchange(true)) return false;
        try {
            done(std::move(response));
        } catch (...) {
            // The server's completion does not throw; if it ever did, there is nobody left to tell.
        }
        return true;
    }

    ~State() {
        if (answered.load()) return;
        try {
            deliver(failure(ApiError(gateway_errors::internal)));
        } catch (...) {
            Response bare;
            bare.status = 500;
            deliver(std::move(bare));
        }
    }
};

Responder::Responder(Completion done) : state_(std::make_shared<State>()) { state_->done = std::move(done); }

bool Responder::operator()(Response response) const noexcept { return state_->deliver(std::move(response)); }

bool Responder::answered() const noexcept { return state_->answered.load(); }

}  // namespace api
