#include "bot/conversation/inactivity_watch.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using Due = InactivityWatch::Due;

class InactivityWatchTest : public ::testing::Test {
 protected:
  Clock::TimePoint at(std::chrono::milliseconds t) const { return start_ + t; }
  Clock::TimePoint start_ = Clock::TimePoint() + 1h;
};

TEST_F(InactivityWatchTest, RepromptsEveryRepromptAfterThenHangsUpOnTime) {
  InactivityWatch watch(InactivityConfig{5000ms, 2, 12000ms});
  watch.resume(at(0ms));
  EXPECT_EQ(watch.next_deadline(), at(5000ms));
  EXPECT_EQ(watch.poll(at(4999ms)), Due::None);
  EXPECT_EQ(watch.poll(at(5000ms)), Due::Reprompt);
  EXPECT_EQ(watch.poll(at(5001ms)), Due::None) << "each reprompt once";
  EXPECT_EQ(watch.next_deadline(), at(10000ms));
  EXPECT_EQ(watch.poll(at(10000ms)), Due::Reprompt);
  EXPECT_EQ(watch.next_deadline(), at(12000ms));
  EXPECT_EQ(watch.poll(at(11999ms)), Due::None);
  EXPECT_EQ(watch.poll(at(12000ms)), Due::Hangup);
  EXPECT_EQ(watch.poll(at(60000ms)), Due::None);
  EXPECT_FALSE(watch.next_deadline());
}

TEST_F(InactivityWatchTest, TheBotsOwnSpeechIsNotTheCallersSilence) {
  InactivityWatch watch(InactivityConfig{5000ms, 1, 9000ms});
  watch.resume(at(0ms));
  watch.pause(at(3000ms));  // a 4-s prompt
  EXPECT_FALSE(watch.next_deadline());
  EXPECT_EQ(watch.poll(at(6000ms)), Due::None);
  watch.resume(at(7000ms));
  EXPECT_EQ(watch.next_deadline(), at(9000ms)) << "3 s counted before the prompt, 2 s to go";
  EXPECT_EQ(watch.poll(at(9000ms)), Due::Reprompt);
  EXPECT_EQ(watch.next_deadline(), at(13000ms));
}

TEST_F(InactivityWatchTest, CallerActivityStartsTheSilenceAndTheRepromptsAfresh) {
  InactivityWatch watch(InactivityConfig{5000ms, 1, 9000ms});
  watch.resume(at(0ms));
  EXPECT_EQ(watch.poll(at(5000ms)), Due::Reprompt);
  watch.caller_active(at(8000ms));
  EXPECT_EQ(watch.poll(at(12999ms)), Due::None);
  EXPECT_EQ(watch.poll(at(13000ms)), Due::Reprompt) << "reprompts count again";
  EXPECT_EQ(watch.poll(at(17000ms)), Due::Hangup);
}

TEST_F(InactivityWatchTest, ZeroTimesTurnEachActionOff) {
  InactivityWatch never(InactivityConfig{0ms, 3, 0ms});
  never.resume(at(0ms));
  EXPECT_FALSE(never.next_deadline());
  EXPECT_EQ(never.poll(at(3600000ms)), Due::None);

  InactivityWatch hangup_only(InactivityConfig{0ms, 3, 7000ms});
  hangup_only.resume(at(0ms));
  EXPECT_EQ(hangup_only.next_deadline(), at(7000ms));
  EXPECT_EQ(hangup_only.poll(at(7000ms)), Due::Hangup);
}

TEST_F(InactivityWatchTest, ARepromptDueAtOrAfterTheHangUpGivesWayToIt) {
  InactivityWatch watch(InactivityConfig{5000ms, 5, 10000ms});
  watch.resume(at(0ms));
  EXPECT_EQ(watch.poll(at(5000ms)), Due::Reprompt);
  EXPECT_EQ(watch.next_deadline(), at(10000ms));
  EXPECT_EQ(watch.poll(at(10000ms)), Due::Hangup);
}

}  // namespace
}  // namespace voxgate::bot
