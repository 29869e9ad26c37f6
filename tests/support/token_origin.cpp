#include "support/token_origin.hpp"

#include <optional>

#include <boost/beast/http.hpp>

#include "support/loopback_http_server.hpp"

namespace test_support {
namespace http = boost::beast::http;

struct TokenOrigin::Impl {
    std::map<std::string, std::string> bodies;
    mutable std::mutex mutex;
    std::vector<std::string> agents;
    // Last: stopped first, before what its handler reads.
    std::optional<LoopbackHttpServer> server;

    LoopbackHttpServer::Response answer(const LoopbackHttpServer::Request& request) {
        std::optional<std::string> body;
        {
            std::lock_guard lock(mutex);
            agents.emplace_back(request[http::field::user_agent]);
            auto found = bodies.find(std::string(request.target()));
            if (found != bodies.end()) body = found->second;
        }
        LoopbackHttpServer::Response response{body ? http::status::ok : http::status::not_found, 11};
        response.set(http::field::content_type, "text/plain");
        response.body() = body ? *body : "not found";
        return response;
    }
};

TokenOrigin::TokenOrigin(std::map<std::string, std::string> bodies_by_path) : impl_(std::make_unique<Impl>()) {
    impl_->bodies = std::move(bodies_by_path);
    impl_->server.emplace([impl = impl_.get()](const auto& request) { return impl->answer(request); });
    port_ = impl_->server->port();
}

TokenOrigin::~TokenOrigin() = default;

std::vector<std::string> TokenOrigin::user_agents() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->agents;
}

void TokenOrigin::set(const std::string& path, const std::string& body) {
    std::lock_guard lock(impl_->mutex);
    impl_->bodies[path] = body;
}

}  // namespace test_support
