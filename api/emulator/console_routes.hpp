#pragma once
#include "api/router.hpp"

namespace api::emulator {

// GET /_emulator/ui/ and its assets: the web console, static files compiled into the binary. They
// hold no state (the page reads everything through the JSON routes with the caller's
// credential), so they are served without the control token (control_access.hpp).
void add_console_routes(Router& router);

// The paths of the console's static files (exactly), which need no control token.
bool is_console_path(std::string_view path) noexcept;

}  // namespace api::emulator
