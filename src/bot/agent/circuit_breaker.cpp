#include "bot/agent/circuit_breaker.hpp"

#include <fmt/format.h>

namespace voxgate::bot {

std::string_view to_string(BreakerState state) noexcept {
  switch (state) {
    case BreakerState::Closed: return "closed";
    case BreakerState::Open: return "open";
    case BreakerState::HalfOpen: return "half-open";
  }
  return "?";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config, const Clock& clock, Logger log)
    : config_(config), clock_(clock), log_(std::move(log)) {}

bool CircuitBreaker::allow() {
  return on(Event::Allow);
}

void CircuitBreaker::record_success() {
  (void)on(Event::Success);
}

void CircuitBreaker::record_failure() {
  (void)on(Event::Failure);
}

void CircuitBreaker::record_abandoned() {
  (void)on(Event::Abandon);
}

BreakerState CircuitBreaker::state() const noexcept {
  if (state_ == BreakerState::Open && clock_.now() >= half_open_at_) return BreakerState::HalfOpen;
  return state_;
}

std::string CircuitBreaker::refusal() const {
  if (state() == BreakerState::HalfOpen) {
    return fmt::format("circuit half-open after {} failed turns: the trial request is under way", failures_);
  }
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(half_open_at_ - clock_.now());
  return fmt::format("circuit open after {} failed turns (the next trial in {} ms)", failures_, wait.count());
}

void CircuitBreaker::move_to(BreakerState to) {
  if (to == state_) return;
  log_.info("agent circuit {} -> {} ({} failed turns in a row)", to_string(state_), to_string(to), failures_);
  state_ = to;
  trial_out_ = false;
  if (to == BreakerState::Open) half_open_at_ = clock_.now() + config_.open_for;
}

bool CircuitBreaker::on(Event event) {
  move_to(state());  // the time-driven move: Open -> HalfOpen once open_for has elapsed
  switch (state_) {
    case BreakerState::Closed:
      if (event == Event::Success) failures_ = 0;
      if (event == Event::Failure && ++failures_ >= config_.failure_threshold && config_.failure_threshold > 0) {
        move_to(BreakerState::Open);
      }
      return event == Event::Allow;
    case BreakerState::Open:
      // A turn let through before the breaker opened may still report: a
      // success shows the agent works again; a failure changes nothing.
      if (event == Event::Success) {
        failures_ = 0;
        move_to(BreakerState::Closed);
      } else if (event == Event::Failure) {
        ++failures_;
      }
      return false;
    case BreakerState::HalfOpen:
      switch (event) {
        case Event::Allow:
          if (trial_out_) return false;
          trial_out_ = true;
          return true;
        case Event::Success:
          failures_ = 0;
          move_to(BreakerState::Closed);
          return false;
        case Event::Failure:
          ++failures_;
          move_to(BreakerState::Open);
          return false;
        case Event::Abandon: trial_out_ = false; return false;
      }
  }
  return false;
}

}  // namespace voxgate::bot
