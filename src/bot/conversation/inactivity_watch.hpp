#pragma once
// The caller's silence, and what is due because of it: a reprompt after
// `reprompt_after` ("Are you still there?", the Away state), again every
// `reprompt_after` up to `max_reprompts`, and hang-up after `hangup_after`.
//
// Only listening time counts: the clock stops while the bot speaks (a
// prompt is not the caller's silence, Twilio's <Gather> timeout starts
// after its prompt too) and starts again from where it stopped. Caller
// speech or a key press sets it back to zero.
//
// Pure logic over an injected time: the owner schedules one timer at
// next_deadline() and calls poll() when it fires, which keeps the actions
// within a timer's precision of the configured times (issue 7: ±100 ms).

#include <chrono>
#include <cstdint>
#include <optional>

#include "base/clock.hpp"

namespace voxgate::bot {

struct InactivityConfig {
  std::chrono::milliseconds reprompt_after{8000};  // 0: never reprompt
  int max_reprompts = 2;
  std::chrono::milliseconds hangup_after{20000};  // 0: never hang up
};

class InactivityWatch {
 public:
  enum class Due : std::uint8_t { None, Reprompt, Hangup };

  // The clock starts paused: call resume() when listening begins.
  explicit InactivityWatch(InactivityConfig config) : config_(config) {}

  void caller_active(Clock::TimePoint now) noexcept;
  void pause(Clock::TimePoint now) noexcept;   // the bot speaks
  void resume(Clock::TimePoint now) noexcept;  // the bot listens

  // What is due now; each reprompt and the hang-up are returned once.
  Due poll(Clock::TimePoint now) noexcept;
  // When poll() will next have something, nullopt while paused or when
  // nothing more can come.
  [[nodiscard]] std::optional<Clock::TimePoint> next_deadline() const noexcept;

  [[nodiscard]] std::chrono::nanoseconds silence(Clock::TimePoint now) const noexcept;
  [[nodiscard]] int reprompts() const noexcept { return reprompts_; }

 private:
  [[nodiscard]] std::optional<std::chrono::nanoseconds> next_due_silence() const noexcept;

  InactivityConfig config_;
  std::chrono::nanoseconds counted_{0};  // silence before the current listening stretch
  std::optional<Clock::TimePoint> listening_since_;
  int reprompts_ = 0;
  bool hung_up_ = false;
};

}  // namespace voxgate::bot
