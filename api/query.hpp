#pragma once
// Query strings as clients send them: percent-encoded, '+' for space, repeated keys and
// dotted names ("hostname.contain=x") kept verbatim.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace api {

class Query {
public:
    explicit Query(std::string_view raw);

    // The first value of a key, if present.
    std::optional<std::string> get(std::string_view key) const;

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

// Decodes %XX and '+'; a malformed escape is kept literally.
std::string percent_decode(std::string_view text);

}  // namespace api
