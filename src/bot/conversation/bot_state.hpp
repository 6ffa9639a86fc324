#pragma once
// The states of a bot conversation (seed 004's session states) and the
// moves between them. One state variable, one table of allowed moves: an
// invalid move is refused with an error naming both states, never taken.
//
//   Initial     the call is answered, nothing said yet
//   Listening   waiting for the caller (speech, DTMF)
//   Processing  the caller's turn ended: recognising, asking the agent
//   Speaking    our reply is being played
//   Away        the caller said nothing for the reprompt time; a reprompt
//               was (or is being) played, hang-up follows if silence goes on
//   Ended       the conversation is over (hang-up either side, transfer)
//
//   Initial    -> Listening | Speaking | Ended
//   Listening  -> Processing | Speaking | Away | Ended
//   Processing -> Speaking | Listening | Ended
//   Speaking   -> Listening | Processing | Ended
//   Away       -> Listening | Processing | Speaking | Ended
//   Ended      -> (none)

#include <cstdint>
#include <string_view>

#include "base/result.hpp"

namespace voxgate::bot {

enum class BotState : std::uint8_t { Initial, Listening, Processing, Speaking, Away, Ended };

std::string_view to_string(BotState state) noexcept;

[[nodiscard]] bool is_allowed(BotState from, BotState to) noexcept;

class BotStateMachine {
 public:
  [[nodiscard]] BotState state() const noexcept { return state_; }
  // InvalidState "bot cannot go from Ended to Listening" when the table
  // does not allow it; staying in the same state is not a move (allowed).
  Result<void> move_to(BotState to);

 private:
  BotState state_ = BotState::Initial;
};

}  // namespace voxgate::bot
