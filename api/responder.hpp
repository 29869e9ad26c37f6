#pragma once
// The completion a handler receives. The server's completion must run exactly once per request,
// whoever answers first: the handler (now or later, from any thread), or Service when the
// handler throws. Later answers are dropped; if every copy is destroyed unanswered (a handler
// that lost its completion), the request is answered 500 so no connection waits forever.
#include <functional>
#include <memory>

#include "api/http_types.hpp"

namespace api {

using Completion = std::function<void(Response)>;

class Responder {
public:
    explicit Responder(Completion done);

    // Delivers `response` unless an answer was already given; true when this call delivered it.
    bool operator()(Response response) const noexcept;
    bool answered() const noexcept;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace api
