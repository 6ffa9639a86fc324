#pragma once
// The timer interface every component that needs timeouts takes (the SIP
// transaction layer's Timers A-M, later dialog and session timers). One
// implementation drives many logical timers from one OS timer per loop
// (LoopTimers); tests drive the same code with TimerQueue and ManualClock.

#include "base/clock.hpp"
#include "base/strong_id.hpp"
#include "runtime/timer_callback.hpp"

namespace voxgate::runtime {

// A scheduled timer. TimerId{} (0) names no timer: cancelling it is a no-op.
using TimerId = StrongId<struct TimerIdTag>;

class Timers {
 public:
  Timers() = default;
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;
  virtual ~Timers() = default;

  // Runs `callback` once, on this loop, `delay` from now (a delay <= 0 means
  // "as soon as possible", never inside this call).
  virtual TimerId schedule(Clock::Duration delay, TimerCallback callback) = 0;
  // Stops a timer that has not run yet: its callback is destroyed unrun.
  // Cancelling a timer that already ran, was cancelled, or TimerId{} is a
  // no-op, so holders need not track whether their timer fired.
  virtual void cancel(TimerId id) noexcept = 0;
};

}  // namespace voxgate::runtime
