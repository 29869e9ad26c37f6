#pragma once
// The emulator routes' moves of a certificate's lifecycle, by action name, shared by custom
// hostnames and certificate packs (each loads, stores and answers its own resource).
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/custom_hostnames/lifecycle.hpp"

namespace api {

// A move on the loaded state with the request's JSON body; a Refusal says why it is illegal.
using LifecycleMove = std::function<lifecycle::Refusal(lifecycle::HostnameState&, TimePoint, const nlohmann::json&)>;

// advance_certificate, fail_certificate ({"status", "message"}) and fail_renewal ({"message"}).
std::vector<std::pair<std::string, LifecycleMove>> certificate_moves();

}  // namespace api
