#pragma once
// An api::Service on an in-memory database with no keys made ahead, driven without a socket.
#include <string>
#include <utility>

#include "api/context.hpp"
#include "api/key_pool.hpp"
#include "api/service.hpp"
#include "storage/database.hpp"

namespace test_support {

struct ServiceFixture {
    storage::Database db{":memory:"};
    api::KeyPool keys{0, 1};
    api::Context context{db, keys};
    api::Service service{context};

    // `path` may carry a query ("...?page=2"); the default headers carry a bearer token.
    api::Response call(std::string method, std::string path, std::string body = {},
                       api::HeaderList headers = {{"Authorization", "Bearer test"}}) {
        api::Request request;
        request.method = std::move(method);
        auto q = path.find('?');
        request.path = path.substr(0, q);
        if (q != std::string::npos) request.query = path.substr(q + 1);
        request.body = std::move(body);
        request.headers = std::move(headers);
        return service.handle_and_wait(std::move(request));
    }
};

}  // namespace test_support
