#include "bot/conversation/inactivity_watch.hpp"

namespace voxgate::bot {

void InactivityWatch::caller_active(Clock::TimePoint now) noexcept {
  counted_ = std::chrono::nanoseconds(0);
  reprompts_ = 0;
  if (listening_since_) listening_since_ = now;
}

void InactivityWatch::pause(Clock::TimePoint now) noexcept {
  counted_ = silence(now);
  listening_since_.reset();
}

void InactivityWatch::resume(Clock::TimePoint now) noexcept {
  if (!listening_since_) listening_since_ = now;
}

std::chrono::nanoseconds InactivityWatch::silence(Clock::TimePoint now) const noexcept {
  return counted_ + (listening_since_ ? now - *listening_since_ : std::chrono::nanoseconds(0));
}

std::optional<std::chrono::nanoseconds> InactivityWatch::next_due_silence() const noexcept {
  if (hung_up_) return std::nullopt;
  std::optional<std::chrono::nanoseconds> due;
  if (config_.reprompt_after.count() > 0 && reprompts_ < config_.max_reprompts) {
    due = config_.reprompt_after * (reprompts_ + 1);
  }
  if (config_.hangup_after.count() > 0 && (!due || *due >= config_.hangup_after)) due = config_.hangup_after;
  return due;
}

InactivityWatch::Due InactivityWatch::poll(Clock::TimePoint now) noexcept {
  const auto due = next_due_silence();
  if (!due || silence(now) < *due) return Due::None;
  if (config_.hangup_after.count() > 0 && *due == std::chrono::nanoseconds(config_.hangup_after)) {
    hung_up_ = true;
    return Due::Hangup;
  }
  ++reprompts_;
  return Due::Reprompt;
}

std::optional<Clock::TimePoint> InactivityWatch::next_deadline() const noexcept {
  const auto due = next_due_silence();
  if (!due || !listening_since_) return std::nullopt;
  return *listening_since_ + (*due - counted_);
}

}  // namespace voxgate::bot
