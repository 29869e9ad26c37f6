// One visitor request on the edge, answered: a validation token (plain HTTP), a redirect to
// https (plain HTTP with --edge-always-https), an error page, or the origin's own response.
#include <boost/asio/use_awaitable.hpp>

#include "api/edge/challenges.hpp"
#include "api/edge/error_pages.hpp"
#include "api/edge/hostname_lookup.hpp"
#include "api/edge/origin_route.hpp"
#include "api/edge/visitor_headers.hpp"
#include "server/edge/edge_shared.hpp"
#include "server/edge/origin_connection.hpp"
#include "server/logger.hpp"

namespace server::edge {
namespace {

namespace net = boost::asio;

Response text_response(http::status status, std::string body, const char* type) {
    Response res{status, 11};
    res.set(http::field::content_type, type);
    res.body() = std::move(body);
    return res;
}

Response error_response(api::edge::EdgeFailure failure, const std::string& host, const std::string& ray) {
    auto page = api::edge::error_page(failure, host, ray);
    return text_response(static_cast<http::status>(page.status), std::move(page.body), "text/html; charset=UTF-8");
}

// What Cloudflare strips from the origin's answer: hop-by-hop headers (the edge re-frames the
// body) and nginx's X-Accel-* instructions.
void clean_origin_response(Response& res) {
    for (auto field : {http::field::connection, http::field::keep_alive, http::field::transfer_encoding,
                       http::field::proxy_connection, http::field::upgrade, http::field::trailer})
        res.erase(field);
    std::vector<std::string> accel;
    for (const auto& header : res)
        if (header.name_string().size() >= 8 && boost::beast::iequals(header.name_string().substr(0, 8), "x-accel-"))
            accel.emplace_back(header.name_string());
    for (const auto& name : accel) res.erase(name);
}

void finish(Response& res, const Request& request, const std::string& ray) {
    res.set("CF-Ray", ray);
    res.set(http::field::server, "cloudflare");
    res.version(request.version());
    res.keep_alive(request.keep_alive());
}

std::string path_of(std::string_view target) {
    return std::string(target.substr(0, target.find('?')));
}

}  // namespace

Response failure_response(const Request& request, api::edge::EdgeFailure failure) {
    std::string ray = api::edge::new_ray_id();
    auto res = error_response(failure, std::string(request[http::field::host]), ray);
    finish(res, request, ray);
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

Shared::Shared(const EdgeSettings& s, storage::Database& db, Logger& log)
    : settings(s), logger(log), selector(db, log.sink()), repository(db) {
    for (const auto& [host, ip] : s.resolve) resolve[api::edge::normalize_host(host)] = ip;
}

net::awaitable<Response> answer(Shared& shared, Request& request, const std::string& client_ip, bool https,
                                OriginConnection& origin) {
    std::string ray = api::edge::new_ray_id();
    std::string host(request[http::field::host]);
    std::string path = path_of(request.target());
    Response res;
    bool from_origin = false;
    try {
        if (!https && api::edge::is_challenge_path(path)) {
            auto token = api::edge::challenge_answer(shared.repository, host, path);
            res = token ? text_response(http::status::ok, *token, "text/plain")
                        : text_response(http::status::not_found, "not found\n", "text/plain");
        } else if (!https && shared.settings.always_https) {
            std::string name = api::edge::normalize_host(host);
            std::string port = shared.tls_port && shared.tls_port != 443 ? ":" + std::to_string(shared.tls_port) : "";
            res = text_response(http::status::moved_permanently, "", "text/html");
            res.set(http::field::location, "https://" + name + port + std::string(request.target()));
        } else {
            auto route = api::edge::route_for_host(shared.repository, host);
            using Outcome = api::edge::OriginRoute::Outcome;
            if (route.outcome == Outcome::no_hostname) {
                res = error_response(api::edge::EdgeFailure::unknown_host, host, ray);
            } else if (route.outcome == Outcome::no_origin) {
                res = error_response(api::edge::EdgeFailure::no_origin, host, ray);
            } else {
                Request forward = request;
                std::vector<std::string> drop;
                for (const auto& header : forward)
                    if (api::edge::is_replaced_request_header(header.name_string()))
                        drop.emplace_back(header.name_string());
                std::optional<std::string> incoming_xff;
                if (auto it = request.find("X-Forwarded-For"); it != request.end())
                    incoming_xff = std::string(it->value());
                for (const auto& name : drop) forward.erase(name);
                for (const auto& [name, value] : api::edge::origin_request_headers(client_ip, incoming_xff, ray, https))
                    forward.set(name, value);
                forward.keep_alive(true);
                forward.prepare_payload();
                auto result = co_await origin.exchange(shared, route.origin, forward);
                if (auto* failure = std::get_if<api::edge::EdgeFailure>(&result)) {
                    shared.logger.log(api::LogLevel::info, "edge_origin_failed",
                                      {{"host", host}, {"origin", route.origin}, {"ray", ray},
                                       {"status", std::to_string(api::edge::error_page(*failure, host, ray).status)}});
                    res = error_response(*failure, host, ray);
                } else {
                    res = std::move(std::get<Response>(result));
                    clean_origin_response(res);
                    from_origin = true;
                }
            }
        }
    } catch (const std::exception& e) {
        shared.logger.log(api::LogLevel::error, "edge_request_failed", {{"host", host}, {"error", e.what()}});
        res = error_response(api::edge::EdgeFailure::origin_error, host, ray);
    }
    finish(res, request, ray);
    // A HEAD answer from the origin has its Content-Length but no body: keep its framing.
    if (!(from_origin && request.method() == http::verb::head)) res.prepare_payload();
    co_return res;
}

}  // namespace server::edge
