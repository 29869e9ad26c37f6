#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/envelope.hpp"

namespace {

std::string reference(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("dump_json writes the bytes nlohmann's dump writes") {
    std::string every_ascii;
    for (int c = 0; c < 0x80; ++c) every_ascii += static_cast<char>(c);
    nlohmann::json value = {
        {"ascii", every_ascii},
        {"pem", "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"},
        {"quotes", "a \"b\" \\ c / d"},
        {"unicode", "caf\xc3\xa9 \xe2\x9c\x93"},
        {"invalid utf-8", std::string("bad \xff\xfe end")},
        {"\x01key\n", 1},
        {"numbers", {0, -1, 42, 9007199254740993LL, 18446744073709551615ULL, 1.5, -0.25, 1e300}},
        {"literals", {true, false, nullptr}},
        {"empty", {{"object", nlohmann::json::object()}, {"array", nlohmann::json::array()}, {"string", ""}}},
        {"nested", {{"b", {{"c", {1, {{"d", "e"}}}}}}, {"a", "z"}}},
    };
    CHECK(api::dump_json(value) == reference(value));
    for (const auto& [key, item] : value.items()) CHECK(api::dump_json(item) == reference(item));
    CHECK(api::dump_json(nlohmann::json("")) == reference(nlohmann::json("")));
    CHECK(api::dump_json(nlohmann::json(nullptr)) == "null");
}
