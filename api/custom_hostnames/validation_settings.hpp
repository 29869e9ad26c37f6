#pragma once
// How custom hostname statuses move: the --validation mode and its companions. Apart from the
// lifecycle itself (lifecycle.hpp) so that api::Context carries the settings without the state
// machine.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace api::lifecycle {

using Duration = std::chrono::milliseconds;

// auto: both verifications advance one state per step; manual: only the emulator routes move
// them; dns: real DNS/HTTP checks.
enum class Mode { automatic, manual, dns };
std::optional<Mode> parse_mode(std::string_view text);  // "auto" | "manual" | "dns"

// The auto-mode step: a DV certificate takes four steps (initializing -> active), so a
// hostname settles in about a second, quick for tests yet visible to a polling client.
inline constexpr Duration default_step{250};

}  // namespace api::lifecycle

namespace api {

struct ValidationSettings {
    // Off (the default until every suite polls for `active`): statuses settle at creation as
    // before the lifecycle (uploaded certificates active, DV certificates pending_validation).
    bool enabled = false;
    lifecycle::Mode mode = lifecycle::Mode::automatic;
    lifecycle::Duration step = lifecycle::default_step;
    double backoff_scale = 1.0;  // dns mode: retry delays and the moved lifetime are multiplied by it
    std::string cname_target;    // dns mode: what hostnames must CNAME to (--cname-target); empty: the zone's fallback origin
    // Asks the background settler to look now (an edit made a check due); empty without one.
    std::function<void()> wake;
};

}  // namespace api
