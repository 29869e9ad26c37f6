#pragma once
// The background settler: a thread of its own with a timer that, every tick, moves hostnames
// and zones' fallback origins whose time has come (auto mode, and dns mode's unprobed states)
// and, in dns mode, starts the checks that are due. Statuses thus change without an API read,
// so the edge (which serves only active hostnames and active fallback origins) sees them in
// time; socket threads never run a lookup.
#include <chrono>
#include <memory>

#include "api/context.hpp"
#include "api/custom_hostnames/probes.hpp"

namespace server {

struct SchedulerSettings {
    std::chrono::milliseconds tick{50};  // how often due hostnames are looked for
    std::size_t max_in_flight = 64;      // dns-mode checks running at once
};

class ValidationScheduler {
public:
    // dns and http may be null outside dns mode; they (and context) must outlive the scheduler.
    ValidationScheduler(api::Context& context, api::DnsProbe* dns, api::HttpProbe* http, SchedulerSettings settings);
    ~ValidationScheduler();  // stops the thread; checks still running finish into the void
    ValidationScheduler(const ValidationScheduler&) = delete;
    ValidationScheduler& operator=(const ValidationScheduler&) = delete;

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
std::chrono::milliseconds scheduler_tick(std::chrono::milliseconds step);

}  // namespace server
