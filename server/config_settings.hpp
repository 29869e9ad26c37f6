#pragma once
// The settings table: one row per setting, holding everything about it (flag, environment
// variable, default, help, how its text is read, how the start-up log prints it). parse_config,
// usage_text and Config::describe walk it; none of them names a setting of its own.
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "server/config.hpp"

namespace server {

// How a repeatable setting's variable separates its values (each use of its flag gives one).
enum class ListSyntax {
    single,   // not repeatable: one value
    commas,   // "a,b,c"
    entries,  // ';' or spaces, since an entry may hold commas ("t1:ZONE_A,ZONE_B;t2"); see token_entries
};

// What a kind of setting does with its text, and how the start-up log prints it.
struct Field {
    // One value (one item of a list) into the config; throws UsageError when malformed.
    std::function<void(Config&, std::string_view flag, const std::string& value)> apply;
    // The value for the start-up log; a credential as a count or "set", never itself.
    std::function<std::string(const Config&)> show;
    ListSyntax list = ListSyntax::single;
    std::function<void(Config&)> clear = {};  // a list: emptied before the first flag, which replaces the variable's items
};

struct Setting {
    std::string_view flag;           // "--threads"
    std::string_view env;            // "CSR_EMULATOR_THREADS"
    std::string_view value_name;     // "N": --help shows "--threads N"
    std::string_view default_value;  // as the flag takes it; "" when unset by default (help may explain)
    std::string_view help;           // what it does; --help adds the default, "repeatable" and the variable
    Field field;
    std::string_view log_key = {};               // describe()'s key; default: the flag without "--", '-' as '_'
    bool (*logged)(const Config&) = nullptr;     // describe() prints it only when this holds; default: always
};

std::span<const Setting> config_settings();

// The start-up log's key for a setting: log_key, or "--edge-max-body" -> "edge_max_body".
std::string log_key(const Setting& setting);

}  // namespace server
