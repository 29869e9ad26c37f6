#pragma once
// Calls one route of a Router directly, without Service or a socket: for routes whose objects
// (clock, journal, fault rules, metrics) are not yet part of the Context.
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "api/envelope.hpp"
#include "api/router.hpp"
#include "support/api_request.hpp"
#include "support/context_fixture.hpp"

namespace test_support {

struct RouteFixture : ContextFixture {
    api::Router router;

    // "GET", "/_emulator/journal?status=404": ApiErrors become their envelope, as in Service.
    api::Response call(const std::string& method, const std::string& target, const std::string& body = {}) {
        api::Request request = api_request(method, target, body);
        auto match = router.resolve(request.method, request.path);
        if (!match.route) throw std::runtime_error("no route for " + method + " " + target);
        request.params = match.params;
        // The routes under test answer before they return.
        api::Response response;
        bool answered = false;
        try {
            match.route->handler(request, context, [&](api::Response r) {
                response = std::move(r);
                answered = true;
            });
        } catch (const api::ApiError& error) {
            return api::failure(error);
        }
        if (!answered) throw std::runtime_error("route did not answer synchronously: " + method + " " + target);
        api::read_whole_body(response);  // a streamed answer (the journal's) as one body
        return response;
    }
};

inline nlohmann::json json_body(const api::Response& response) { return nlohmann::json::parse(response.body); }

}  // namespace test_support
