#include "bot/pipeline/conversation_state.hpp"

#include "bot/pipeline/event_json.hpp"

namespace voxgate::bot {

void ConversationState::move_to(BotState to) {
  const BotState from = machine_.state();
  if (from == to) return;
  if (auto moved = machine_.move_to(to); !moved) {
    // A bug in a stage: the table is the spec.
    events_.event("bot.error", json({{"message", moved.error().message}}));
    return;
  }
  const auto now = clock_.now();
  if (to == BotState::Listening || to == BotState::Away) {
    inactivity_.resume(now);
  } else {
    inactivity_.pause(now);
  }
  events_.event("bot.state", json({{"state", to_string(to)}, {"from", to_string(from)}}));
}

std::optional<Clock::TimePoint> ConversationState::next_deadline() const noexcept {
  if (ended()) return std::nullopt;
  return inactivity_.next_deadline();
}

}  // namespace voxgate::bot
