#include "runtime/timer_loop.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <boost/asio/steady_timer.hpp>

namespace voxgate::runtime {

struct LoopTimers::State {
  State(EventLoop& loop, const Clock& clock) : queue(clock), timer(loop.context()) {}

  TimerQueue queue;
  boost::asio::steady_timer timer;
  std::optional<Clock::TimePoint> armed_for;  // the deadline the pending wait is for
};

LoopTimers::LoopTimers(EventLoop& loop, const Clock& clock) : state_(std::make_shared<State>(loop, clock)) {}

LoopTimers::~LoopTimers() {
  // The pending wait completes with operation_aborted and finds no state.
  state_->timer.cancel();
}

TimerId LoopTimers::schedule(Clock::Duration delay, TimerCallback callback) {
  const TimerId id = state_->queue.schedule(delay, std::move(callback));
  arm(state_);
  return id;
}

void LoopTimers::cancel(TimerId id) noexcept {
  state_->queue.cancel(id);
}

std::size_t LoopTimers::size() const noexcept {
  return state_->queue.size();
}

void LoopTimers::arm(const std::shared_ptr<State>& state) {
  const auto next = state->queue.next_deadline();
  if (!next) return;  // an armed wait may still fire: it finds nothing due and stops
  if (state->armed_for && *state->armed_for <= *next) return;  // it fires early enough
  const Clock::Duration wait = std::max(*next - state->queue.clock().now(), Clock::Duration::zero());
  state->timer.expires_after(wait);  // aborts the previous wait, if any
  state->armed_for = *next;
  state->timer.async_wait([weak = std::weak_ptr<State>(state)](const boost::system::error_code& error) {
    if (error == boost::asio::error::operation_aborted) return;  // re-armed or destroyed
    const auto alive = weak.lock();
    if (!alive) return;
    alive->armed_for.reset();
    alive->queue.run_due();
    arm(alive);
  });
}

}  // namespace voxgate::runtime
