#pragma once
// LoopTimers: the Timers of one EventLoop. Every logical timer (a SIP call
// has several: Timers A/B, G/H, session refresh...) lives in one TimerQueue;
// one boost::asio::steady_timer is armed for the earliest deadline. At
// 10,000 calls/s that is ~100k timers/s, almost all cancelled or re-armed
// before they fire, without an OS timer or an asio operation each.
//
// The steady_timer is re-armed only when a new timer is earlier than the one
// it waits for; cancellations never touch it (a wake-up with nothing due
// just re-arms). Use from the loop's thread only; destroy there too or after
// the loop stopped.

#include <memory>

#include "base/clock.hpp"
#include "runtime/event_loop.hpp"
#include "runtime/timer_queue.hpp"
#include "runtime/timer_service.hpp"

namespace voxgate::runtime {

class LoopTimers final : public Timers {
 public:
  // `clock` must tick with std::chrono::steady_clock (SystemClock), which is
  // what the steady_timer waits on.
  LoopTimers(EventLoop& loop, const Clock& clock);
  ~LoopTimers() override;

  TimerId schedule(Clock::Duration delay, TimerCallback callback) override;
  void cancel(TimerId id) noexcept override;

  [[nodiscard]] std::size_t size() const noexcept;

 private:
  struct State;
  static void arm(const std::shared_ptr<State>& state);

  // Shared with the pending wait's handler, which holds it weakly: a wake-up
  // already queued when LoopTimers is destroyed finds it gone.
  std::shared_ptr<State> state_;
};

}  // namespace voxgate::runtime
