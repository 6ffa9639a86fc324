#include "bot/conversation/bot_state.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

using S = BotState;

TEST(BotState, FollowsATurnThroughListeningProcessingSpeakingAndBack) {
  BotStateMachine machine;
  EXPECT_EQ(machine.state(), S::Initial);
  for (const S next : {S::Speaking, S::Listening, S::Processing, S::Speaking, S::Listening, S::Away, S::Speaking,
                       S::Listening, S::Ended}) {
    ASSERT_TRUE(machine.move_to(next)) << to_string(next);
    EXPECT_EQ(machine.state(), next);
  }
}

TEST(BotState, RefusesAMoveTheTableDoesNotHoldNamingBothStates) {
  BotStateMachine machine;
  const auto refused = machine.move_to(S::Processing);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::InvalidState);
  EXPECT_EQ(refused.error().message, "bot cannot go from Initial to Processing");
  EXPECT_EQ(machine.state(), S::Initial) << "a refused move is not taken";
}

TEST(BotState, EndedIsFinal) {
  BotStateMachine machine;
  ASSERT_TRUE(machine.move_to(S::Ended));
  for (const S next : {S::Initial, S::Listening, S::Processing, S::Speaking, S::Away, S::Ended}) {
    const auto refused = machine.move_to(next);
    ASSERT_FALSE(refused) << to_string(next);
    EXPECT_EQ(refused.error().message, fmt::format("bot cannot go from Ended to {}", to_string(next)));
  }
}

TEST(BotState, EveryStateCanEndAndStayingPutIsNoMove) {
  for (const S from : {S::Initial, S::Listening, S::Processing, S::Speaking, S::Away}) {
    EXPECT_TRUE(is_allowed(from, S::Ended)) << to_string(from);
  }
  BotStateMachine machine;
  ASSERT_TRUE(machine.move_to(S::Listening));
  EXPECT_TRUE(machine.move_to(S::Listening));
}

TEST(BotState, NothingGoesBackToInitial) {
  for (const S from : {S::Listening, S::Processing, S::Speaking, S::Away, S::Ended}) {
    EXPECT_FALSE(is_allowed(from, S::Initial)) << to_string(from);
  }
}

}  // namespace
}  // namespace voxgate::bot
