#include "bot/conversation/bot_state.hpp"

namespace voxgate::bot {

std::string_view to_string(BotState state) noexcept {
  switch (state) {
    case BotState::Initial: return "Initial";
    case BotState::Listening: return "Listening";
    case BotState::Processing: return "Processing";
    case BotState::Speaking: return "Speaking";
    case BotState::Away: return "Away";
    case BotState::Ended: return "Ended";
  }
  return "Unknown";
}

bool is_allowed(BotState from, BotState to) noexcept {
  using S = BotState;
  if (to == S::Ended) return from != S::Ended;
  switch (from) {
    case S::Initial: return to == S::Listening || to == S::Speaking;
    case S::Listening: return to == S::Processing || to == S::Speaking || to == S::Away;
    case S::Processing: return to == S::Speaking || to == S::Listening;
    // Barge-in: back to listening, or straight to processing when the
    // interruption already holds words.
    case S::Speaking: return to == S::Listening || to == S::Processing;
    case S::Away: return to == S::Listening || to == S::Processing || to == S::Speaking;
    case S::Ended: return false;
  }
  return false;
}

Result<void> BotStateMachine::move_to(BotState to) {
  if (to == state_ && to != BotState::Ended) return {};
  if (!is_allowed(state_, to)) {
    return make_error(Errc::InvalidState, "bot cannot go from {} to {}", to_string(state_), to_string(to));
  }
  state_ = to;
  return {};
}

}  // namespace voxgate::bot
