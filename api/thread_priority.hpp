#pragma once
// Background threads that yield to the threads serving requests.

namespace api {

// The calling thread gets SCHED_BATCH (it does not preempt a thread that wakes up with a request)
// at `nice` (each step of 1 is about 10% less CPU share when both want a core). Best effort: a
// refusal leaves the thread as it was.
void lower_thread_priority(int nice) noexcept;

}  // namespace api
