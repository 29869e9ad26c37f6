#pragma once
// An api::Service on an in-memory database with no keys made ahead, driven without a socket.
#include <string>
#include <utility>

#include "api/service.hpp"
#include "support/api_request.hpp"
#include "support/context_fixture.hpp"

namespace test_support {

struct ServiceFixture : ContextFixture {
    api::Service service{context};

    // `path` may carry a query ("...?page=2"); the default headers carry a bearer token.
    api::Response call(std::string method, std::string path, std::string body = {},
                       api::HeaderList headers = {{"Authorization", "Bearer test"}}) {
        return service.handle_and_wait(api_request(std::move(method), path, std::move(body), std::move(headers)));
    }
};

}  // namespace test_support
