// Deterministic mode: the same seed gives the same ids; without a seed ids are random.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "api/emulator/id_source.hpp"
#include "api/identifiers.hpp"

using api::emulator::IdSource;

namespace {

bool is_v4(const std::string& id) {
    return api::is_uuid(id) && id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos &&
           id.find_first_of("ABCDEF") == std::string::npos;
}

}  // namespace

TEST_CASE("a seeded source replays: same seed, same ids, tokens and serials") {
    IdSource a(42), b(42), c(43);
    CHECK(a.deterministic());
    std::vector<std::string> first, second, other;
    for (int i = 0; i < 50; ++i) {
        first.push_back(a.uuid() + a.hex(16) + a.serial_hex());
        second.push_back(b.uuid() + b.hex(16) + b.serial_hex());
        other.push_back(c.uuid() + c.hex(16) + c.serial_hex());
    }
    CHECK(first == second);
    CHECK(first != other);
}

TEST_CASE("ids are RFC 4122 version-4 UUIDs, seeded or not, and do not repeat") {
    IdSource random, seeded(7);
    for (IdSource* source : {&random, &seeded}) {
        std::set<std::string> seen;
        for (int i = 0; i < 1000; ++i) {
            auto id = source->uuid();
            INFO(id);
            CHECK(is_v4(id));
            seen.insert(id);
        }
        CHECK(seen.size() == 1000);
    }
    CHECK(IdSource().uuid() != IdSource().uuid());
    CHECK_FALSE(IdSource().deterministic());
}

TEST_CASE("serial numbers are positive in DER and never zero; tokens have the asked length") {
    IdSource source(1);
    for (int i = 0; i < 200; ++i) {
        auto serial = source.serial_hex(16);
        CHECK(serial.size() == 32);
        CHECK(serial[0] <= '7');
        CHECK(serial.find_first_not_of('0') != std::string::npos);
    }
    CHECK(source.hex(20).size() == 40);
}
