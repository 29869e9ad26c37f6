// One handler shape: every route answers through a completion that reaches the server exactly
// once, whether the handler answers now, later from another thread, throws, or both.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/errors_catalogue.hpp"
#include "support/service_fixture.hpp"

namespace {

struct ResponderFixture : test_support::ServiceFixture {
    std::mutex mutex;
    std::vector<api::Response> answers;
    std::vector<std::string> logged;

    ResponderFixture() {
        context.log = [this](api::LogLevel, std::string_view event, const api::LogFields&) {
            std::lock_guard lock(mutex);
            logged.emplace_back(event);
        };
    }

    // Sends GET `path` (emulator surface: no credentials needed) and records every answer.
    void send(const std::string& path) {
        api::Request request;
        request.method = "GET";
        request.path = path;
        service.handle(std::move(request), [this](api::Response r) {
            std::lock_guard lock(mutex);
            answers.push_back(std::move(r));
        });
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return answers.size();
    }
};

api::Response ok(std::string body) {
    api::Response r;
    r.body = std::move(body);
    return r;
}

}  // namespace

TEST_CASE("a handler that throws before completing is answered once, with the error") {
    ResponderFixture f;
    f.service.router().add(
        "GET", "/t/api-error",
        api::Handler([](const api::Request&, api::Context&, api::Completion) { throw api::ApiError(api::gateway_errors::no_route); }),
        api::Surface::emulator);
    f.service.router().add(
        "GET", "/t/crash",
        api::Handler([](const api::Request&, api::Context&, api::Completion) { throw std::runtime_error("boom"); }),
        api::Surface::emulator);
    f.send("/t/api-error");
    REQUIRE(f.count() == 1);
    CHECK(f.answers[0].status == 404);
    f.send("/t/crash");
    REQUIRE(f.count() == 2);
    CHECK(f.answers[1].status == 500);
    CHECK(f.logged == std::vector<std::string>{"unhandled_exception"});
}

TEST_CASE("a handler that completes and then throws: the first answer stands, nothing more is sent") {
    ResponderFixture f;
    f.service.router().add("GET", "/t/answer-then-throw",
                           api::Handler([](const api::Request&, api::Context&, api::Completion done) {
                               done(ok("first"));
                               throw std::runtime_error("after the answer");
                           }),
                           api::Surface::emulator);
    f.send("/t/answer-then-throw");
    REQUIRE(f.count() == 1);
    CHECK(f.answers[0].status == 200);
    CHECK(f.answers[0].body == "first");
}

TEST_CASE("a handler that completes later from another thread is answered once, by that thread") {
    ResponderFixture f;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::thread worker;
    f.service.router().add("GET", "/t/later",
                           api::Handler([&](const api::Request&, api::Context&, api::Completion done) {
                               worker = std::thread([done, released] {
                                   released.wait();
                                   done(ok("later"));
                                   done(ok("again"));  // dropped
                               });
                           }),
                           api::Surface::emulator);
    f.send("/t/later");
    CHECK(f.count() == 0);  // handle() returned before the answer
    release.set_value();
    worker.join();
    REQUIRE(f.count() == 1);
    CHECK(f.answers[0].body == "later");
}

TEST_CASE("a handler that passes the completion on and then throws: one answer, whichever came first") {
    ResponderFixture f;
    std::thread worker;
    f.service.router().add("GET", "/t/pass-then-throw",
                           api::Handler([&](const api::Request&, api::Context&, api::Completion done) {
                               worker = std::thread([done] { done(ok("from the worker")); });
                               throw api::ApiError(api::gateway_errors::internal);
                           }),
                           api::Surface::emulator);
    f.send("/t/pass-then-throw");
    worker.join();
    REQUIRE(f.count() == 1);
    CHECK((f.answers[0].status == 500 || f.answers[0].body == "from the worker"));
}

TEST_CASE("a handler that drops its completion unanswered gets a 500, not a hung connection") {
    ResponderFixture f;
    f.service.router().add("GET", "/t/drop",
                           api::Handler([](const api::Request&, api::Context&, api::Completion) {}),
                           api::Surface::emulator);
    f.send("/t/drop");
    REQUIRE(f.count() == 1);
    CHECK(f.answers[0].status == 500);
}

TEST_CASE("Router::add still takes a plain Response(const Request&, Context&) function") {
    ResponderFixture f;
    f.service.router().add(
        "GET", "/t/sync/{name}",
        [](const api::Request& request, api::Context&) { return ok("hello " + request.param("name")); },
        api::Surface::emulator);
    f.send("/t/sync/world");
    REQUIRE(f.count() == 1);
    CHECK(f.answers[0].body == "hello world");
}
