#pragma once
// How zones behave: how long a new one stays pending, and the zones the configuration names
// (--zone NAME[:ID]), made at start and again after a reset or a seed.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace api {

struct Context;

struct ConfiguredZone {
    std::string name;
    std::optional<std::string> id;  // none: a new id
};

struct ZoneSettings {
    std::chrono::seconds activation{0};  // pending this long after creation (emulator clock)
    std::vector<ConfiguredZone> configured;
};

// Makes each configured zone that does not exist yet (by name), active at once, in the
// --account-id account. Returns the
// names it could not make because their id is another zone's.
std::vector<std::string> ensure_configured_zones(Context& context);

}  // namespace api
