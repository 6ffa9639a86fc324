#pragma once
// The bot session's one state variable (BotStateMachine) and what goes with
// a move: the bot.state event, and the inactivity clock, which runs only
// while the bot waits for the caller (Listening, Away).
//
// Shared by the stages that decide moves: TurnStage takes the caller's side
// (Processing, Listening after a barge-in, Away, Ended), PlayoutStage the
// bot's (Speaking when a chunk is queued, Listening or Ended when the reply
// was played); RecognitionStage only reads it.
#include <optional>

#include "base/clock.hpp"
#include "bot/conversation/bot_state.hpp"
#include "bot/conversation/inactivity_watch.hpp"
#include "bot/pipeline/conversation_output.hpp"

namespace voxgate::bot {

class ConversationState {
 public:
  // `events` and `clock` must outlive the state.
  ConversationState(InactivityConfig inactivity, BotEvents& events, const Clock& clock)
      : events_(events), clock_(clock), inactivity_(inactivity) {}

  [[nodiscard]] BotState state() const noexcept { return machine_.state(); }
  [[nodiscard]] bool ended() const noexcept { return machine_.state() == BotState::Ended; }
  // Validated by the table; a refused move is a bug, reported as bot.error.
  void move_to(BotState to);

  [[nodiscard]] InactivityWatch& inactivity() noexcept { return inactivity_; }
  [[nodiscard]] std::optional<Clock::TimePoint> next_deadline() const noexcept;

 private:
  BotEvents& events_;
  const Clock& clock_;
  BotStateMachine machine_;
  InactivityWatch inactivity_;
};

}  // namespace voxgate::bot
