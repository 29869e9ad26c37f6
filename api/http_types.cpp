#include "api/http_types.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace api {
namespace {

std::optional<std::string_view> find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return std::string_view(value);
    return std::nullopt;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::string_view> Request::header(std::string_view name) const { return find_header(headers, name); }

const std::string& Request::param(std::string_view name) const {
    auto it = params.find(name);
    if (it == params.end()) throw std::logic_error("route has no parameter " + std::string(name));
    return it->second;
}

std::optional<std::string_view> Response::header(std::string_view name) const { return find_header(headers, name); }

void read_whole_body(Response& response) {
    if (!response.stream) return;
    std::string piece;
    while (response.stream->next(piece)) response.body += piece;
    response.stream.reset();
}

}  // namespace api
