#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "crypto/random.hpp"

TEST_CASE("random_uuid gives distinct RFC 4122 version-4 UUIDs") {
    const std::regex uuid_v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        std::string id = crypto::random_uuid();
        CHECK(std::regex_match(id, uuid_v4));
        seen.insert(id);
    }
    CHECK(seen.size() == 200);
}

TEST_CASE("random_hex gives 2n lowercase hex characters") {
    std::string hex = crypto::random_hex(16);
    CHECK(hex.size() == 32);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(crypto::random_hex(16) != hex);
}
