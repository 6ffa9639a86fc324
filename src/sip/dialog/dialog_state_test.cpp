#include "sip/dialog/dialog_state.hpp"

#include <gtest/gtest.h>

namespace voxgate::sip {
namespace {

TEST(DialogState, AllowsOnlyTheMovesOfRfc3261) {
  EXPECT_TRUE(check_transition(DialogState::Early, DialogState::Confirmed));
  EXPECT_TRUE(check_transition(DialogState::Early, DialogState::Terminated));
  EXPECT_TRUE(check_transition(DialogState::Confirmed, DialogState::Terminated));
}

TEST(DialogState, RefusesEveryOtherMoveNamingBothStates) {
  struct Move {
    DialogState from;
    DialogState to;
    std::string_view message;
  };
  for (const Move& m :
       {Move{DialogState::Confirmed, DialogState::Early, "dialog cannot go from Confirmed to Early"},
        Move{DialogState::Terminated, DialogState::Early, "dialog cannot go from Terminated to Early"},
        Move{DialogState::Terminated, DialogState::Confirmed, "dialog cannot go from Terminated to Confirmed"},
        Move{DialogState::Early, DialogState::Early, "dialog cannot go from Early to Early"},
        Move{DialogState::Confirmed, DialogState::Confirmed, "dialog cannot go from Confirmed to Confirmed"}}) {
    auto result = check_transition(m.from, m.to);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::InvalidState);
    EXPECT_EQ(result.error().message, m.message);
  }
}

TEST(DialogState, EndReasonsHaveStableNames) {
  EXPECT_EQ(to_string(DialogEndReason::NoAck), "no-ack");
  EXPECT_EQ(to_string(DialogEndReason::RemoteBye), "remote-bye");
  EXPECT_EQ(to_string(DialogEndReason::PeerGone), "peer-gone");
}

}  // namespace
}  // namespace voxgate::sip
