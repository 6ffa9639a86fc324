// 2xx retransmission until the ACK (RFC 3261 §13.3.1.4), on a ManualClock.

#include "sip/dialog/reliable_two_hundred.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/timer_queue.hpp"

namespace voxgate::sip {
namespace {

using namespace std::chrono_literals;
using State = ReliableTwoHundred::State;

class RecordingUser final : public ReliableTwoHundred::User {
 public:
  explicit RecordingUser(const Clock& clock) : clock_(clock), start_(clock.now()) {}
  void retransmit_two_hundred() override { retransmitted_at.push_back(elapsed()); }
  void two_hundred_not_acknowledged() override {
    no_ack_at.push_back(elapsed());
    if (on_no_ack) on_no_ack();
  }

  std::vector<Clock::Duration> retransmitted_at;
  std::vector<Clock::Duration> no_ack_at;
  std::function<void()> on_no_ack;

 private:
  Clock::Duration elapsed() const { return clock_.now() - start_; }
  const Clock& clock_;
  Clock::TimePoint start_;
};

class ReliableTwoHundredTest : public ::testing::Test {
 protected:
  // Moves the clock to each deadline in turn, up to `until` after the start.
  void run_until(Clock::Duration until) {
    const Clock::TimePoint end = start_ + until;
    while (auto next = timers_.next_deadline()) {
      if (*next > end) break;
      clock_.advance(*next - clock_.now());
      timers_.run_due();
    }
    if (clock_.now() < end) clock_.advance(end - clock_.now());
  }

  ManualClock clock_;
  Clock::TimePoint start_ = clock_.now();
  runtime::TimerQueue timers_{clock_};
  RecordingUser user_{clock_};
};

TEST_F(ReliableTwoHundredTest, RetransmitsAtT1ThenDoublingIntervalsCappedAtT2UntilTimerH) {
  ReliableTwoHundred machine(timers_, user_);
  ASSERT_TRUE(machine.start());
  EXPECT_EQ(machine.state(), State::WaitingForAck);
  run_until(40s);
  // T1 = 0.5 s, T2 = 4 s: +0.5, +1, +2, then +4 each, while under 64*T1 = 32 s.
  const std::vector<Clock::Duration> expected = {500ms,   1500ms,  3500ms,  7500ms,  11500ms,
                                                 15500ms, 19500ms, 23500ms, 27500ms, 31500ms};
  EXPECT_EQ(user_.retransmitted_at, expected);
  EXPECT_EQ(user_.no_ack_at, std::vector<Clock::Duration>{32s});
  EXPECT_EQ(machine.state(), State::NoAck);
  EXPECT_EQ(machine.retransmissions(), 10U);
  EXPECT_TRUE(timers_.empty()) << "nothing left scheduled after Timer H";
}

TEST_F(ReliableTwoHundredTest, NothingIsSentBeforeT1) {
  ReliableTwoHundred machine(timers_, user_);
  ASSERT_TRUE(machine.start());
  run_until(499ms);
  EXPECT_TRUE(user_.retransmitted_at.empty());
  run_until(500ms);
  EXPECT_EQ(user_.retransmitted_at.size(), 1U);
}

TEST_F(ReliableTwoHundredTest, FollowsConfiguredTimers) {
  ReliableTwoHundred machine(timers_, user_, TwoHundredTimings{100ms, 250ms});
  ASSERT_TRUE(machine.start());
  run_until(1s);
  // T2 = 250 ms caps the doubling after the second interval.
  EXPECT_EQ(user_.retransmitted_at, (std::vector<Clock::Duration>{100ms, 300ms, 550ms, 800ms}));
  run_until(7s);
  ASSERT_EQ(user_.no_ack_at, std::vector<Clock::Duration>{6400ms}) << "64*T1";
}

TEST_F(ReliableTwoHundredTest, TheAckStopsRetransmissionsAndTimerH) {
  ReliableTwoHundred machine(timers_, user_);
  ASSERT_TRUE(machine.start());
  run_until(2s);
  EXPECT_EQ(user_.retransmitted_at.size(), 2U);
  ASSERT_TRUE(machine.on_ack());
  EXPECT_EQ(machine.state(), State::Acknowledged);
  EXPECT_TRUE(timers_.empty());
  run_until(60s);
  EXPECT_EQ(user_.retransmitted_at.size(), 2U);
  EXPECT_TRUE(user_.no_ack_at.empty());
}

TEST_F(ReliableTwoHundredTest, DuplicateAndLateAcksChangeNothing) {
  ReliableTwoHundred machine(timers_, user_);
  ASSERT_TRUE(machine.start());
  ASSERT_TRUE(machine.on_ack());
  EXPECT_TRUE(machine.on_ack());
  EXPECT_EQ(machine.state(), State::Acknowledged);

  ReliableTwoHundred unanswered(timers_, user_);
  ASSERT_TRUE(unanswered.start());
  run_until(33s);
  ASSERT_EQ(unanswered.state(), State::NoAck);
  EXPECT_TRUE(unanswered.on_ack());
  EXPECT_EQ(unanswered.state(), State::NoAck);
}

TEST_F(ReliableTwoHundredTest, InvalidEventsAreRefusedNamingStateAndEvent) {
  ReliableTwoHundred machine(timers_, user_);
  auto early_ack = machine.on_ack();
  ASSERT_FALSE(early_ack);
  EXPECT_EQ(early_ack.error().message, "2xx retransmission: event Ack is invalid in state Idle");
  ASSERT_TRUE(machine.start());
  auto twice = machine.start();
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "2xx retransmission: event Sent is invalid in state WaitingForAck");
  EXPECT_EQ(machine.state(), State::WaitingForAck);
}

TEST_F(ReliableTwoHundredTest, DestroyingTheMachineCancelsItsTimers) {
  {
    ReliableTwoHundred machine(timers_, user_);
    ASSERT_TRUE(machine.start());
    EXPECT_EQ(timers_.size(), 2U);
  }
  EXPECT_TRUE(timers_.empty());
  run_until(60s);
  EXPECT_TRUE(user_.retransmitted_at.empty());
}

TEST_F(ReliableTwoHundredTest, TheUserMayDestroyTheMachineWhenToldOfTheMissingAck) {
  auto machine = std::make_unique<ReliableTwoHundred>(timers_, user_);
  user_.on_no_ack = [&machine] { machine.reset(); };
  ASSERT_TRUE(machine->start());
  run_until(40s);
  EXPECT_EQ(machine, nullptr);
  EXPECT_EQ(user_.no_ack_at.size(), 1U);
}

}  // namespace
}  // namespace voxgate::sip
