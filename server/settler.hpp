#pragma once
// The background settler: a thread of its own with a timer that, every tick, moves hostnames
// and zones' fallback origins whose time has come (auto mode, and dns mode's unprobed states;
// in every mode, certificates whose renewal or expiry has come on the emulator's clock) and, in
// dns mode, starts the checks that are due. Statuses thus change without an API read,
// so the edge (which serves only active hostnames and active fallback origins) sees them in
// time; socket threads never run a lookup.
#include <chrono>
#include <memory>

#include "api/context.hpp"
#include "api/custom_hostnames/probes.hpp"

namespace server {

struct SettlerSettings {
    std::chrono::milliseconds tick{50};  // how often due hostnames are looked for
    std::size_t max_in_flight = 64;      // dns-mode checks running at once
};

class Settler {
public:
    // dns and http may be null outside dns mode; they (and context) must outlive the settler.
    Settler(api::Context& context, api::DnsProbe* dns, api::HttpProbe* http, SettlerSettings settings);
    ~Settler();  // stops the thread; checks still running finish into the void
    Settler(const Settler&) = delete;
    Settler& operator=(const Settler&) = delete;

    void start();
    void stop();
    // Look now instead of at the next tick (an edit made a check due); callable from any thread.
    void wake();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// The tick for a mode: a fraction of the auto step (so a state shows within ~1/5 of a step),
// between 10 ms and 250 ms.
std::chrono::milliseconds settler_tick(std::chrono::milliseconds step);

}  // namespace server
