#pragma once
// A circuit breaker over a remote agent's turns (Nygard, "Release It!"):
// when the agent keeps failing, the calls stop waiting for it. After
// `failure_threshold` consecutive failed turns it opens, and for `open_for`
// every turn fails at once, without a request (the caller hears the
// fallback prompt without the timeouts and retries first); then one trial
// request goes: its success closes the breaker, its failure opens it again.
//
//             failure_threshold failed turns in a row
//   Closed ─────────────────────────────────────────► Open
//     ▲                                     trial failed ▲  │ open_for elapsed
//     │ trial succeeded                                  │  ▼
//     └──────────────────────────────────────────────── HalfOpen: one trial at a time
//
// One per bot profile (BotService holds them), shared by every call's agent
// of that profile (they all call the same URL); used on the bot thread only, so no locks. Time comes from the
// injected clock (ManualClock in tests).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/log.hpp"

namespace voxgate::bot {

enum class BreakerState : std::uint8_t { Closed, Open, HalfOpen };
std::string_view to_string(BreakerState state) noexcept;

struct CircuitBreakerConfig {
  int failure_threshold = 3;  // consecutive failed turns that open it; 0: it never opens
  std::chrono::milliseconds open_for{10'000};
};

class CircuitBreaker {
 public:
  // `clock` must outlive the breaker; `log` hears every state change.
  CircuitBreaker(CircuitBreakerConfig config, const Clock& clock, Logger log = {});
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;
  ~CircuitBreaker() = default;

  // Whether a request may go now. Closed: yes. Open: no. HalfOpen: yes for
  // the first asker (the trial), no for everyone else until the trial's
  // outcome is recorded.
  [[nodiscard]] bool allow();
  // The outcome of a turn allow() let through.
  void record_success();
  void record_failure();
  // A turn allow() let through ended without an outcome (its call ended, a
  // key superseded it): a half-open trial's place is free again.
  void record_abandoned();

  // Open turns into HalfOpen when open_for has elapsed.
  [[nodiscard]] BreakerState state() const noexcept;
  [[nodiscard]] int consecutive_failures() const noexcept { return failures_; }
  // Why allow() said no, for the turn's error: "circuit open after 3 failed
  // turns (the next trial in 4200 ms)".
  [[nodiscard]] std::string refusal() const;

 private:
  enum class Event : std::uint8_t { Allow, Success, Failure, Abandon };
  // Every transition: the state after `event`, and whether it was allowed
  // (Allow only).
  bool on(Event event);
  void move_to(BreakerState to);

  CircuitBreakerConfig config_;
  const Clock& clock_;
  Logger log_;
  BreakerState state_ = BreakerState::Closed;  // the only state; Open may be due to become HalfOpen
  int failures_ = 0;                           // consecutive failed turns
  Clock::TimePoint half_open_at_{};            // Open: when the trial may go
  bool trial_out_ = false;                     // HalfOpen: the trial has gone and not reported
};

}  // namespace voxgate::bot
