#pragma once
// The emulator's settings parsed from flags and a given environment (a map standing in for the
// process's variables), as main() parses them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/config.hpp"

namespace test_support {

inline server::ParseOutcome parse_settings(const std::vector<std::string>& args,
                                           std::map<std::string, std::string> env = {}) {
    return server::parse_config(args, [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    });
}

}  // namespace test_support
