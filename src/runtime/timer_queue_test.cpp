#include "runtime/timer_queue.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace voxgate::runtime {
namespace {

using namespace std::chrono_literals;

class TimerQueueTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  TimerQueue queue_{clock_};
  std::vector<int> fired_;

  TimerId add(Clock::Duration delay, int tag) {
    return queue_.schedule(delay, [this, tag] { fired_.push_back(tag); });
  }
};

TEST_F(TimerQueueTest, RunsNothingBeforeTheDeadline) {
  add(500ms, 1);
  clock_.advance(499ms);
  EXPECT_EQ(queue_.run_due(), 0U);
  EXPECT_TRUE(fired_.empty());
  clock_.advance(1ms);
  EXPECT_EQ(queue_.run_due(), 1U);
  EXPECT_EQ(fired_, std::vector<int>{1});
  EXPECT_TRUE(queue_.empty());
}

TEST_F(TimerQueueTest, RunsDueTimersInDeadlineOrderAndTiesInSchedulingOrder) {
  add(3s, 3);
  add(1s, 1);
  add(2s, 21);
  add(2s, 22);
  add(10s, 10);
  clock_.advance(5s);
  EXPECT_EQ(queue_.run_due(), 4U);
  EXPECT_EQ(fired_, (std::vector<int>{1, 21, 22, 3}));
  EXPECT_EQ(queue_.size(), 1U);
}

TEST_F(TimerQueueTest, CancelledTimerNeverRuns) {
  const TimerId id = add(1s, 1);
  add(1s, 2);
  queue_.cancel(id);
  EXPECT_EQ(queue_.size(), 1U);
  clock_.advance(2s);
  queue_.run_due();
  EXPECT_EQ(fired_, std::vector<int>{2});
}

TEST_F(TimerQueueTest, CancellingTwiceOrAfterRunningOrTheNullIdIsHarmless) {
  const TimerId id = add(1s, 1);
  clock_.advance(1s);
  queue_.run_due();
  queue_.cancel(id);
  queue_.cancel(id);
  queue_.cancel(TimerId{});
  queue_.cancel(TimerId{0xFFFFFFFF00000123ULL});
  // The slot of the fired timer is reused; the stale id must not cancel the new timer.
  add(1s, 2);
  queue_.cancel(id);
  clock_.advance(1s);
  queue_.run_due();
  EXPECT_EQ(fired_, (std::vector<int>{1, 2}));
}

TEST_F(TimerQueueTest, NegativeOrZeroDelayIsDueAtOnce) {
  add(-5s, 1);
  add(0s, 2);
  EXPECT_EQ(queue_.run_due(), 2U);
  EXPECT_EQ(fired_, (std::vector<int>{1, 2}));
}

TEST_F(TimerQueueTest, NextDeadlineIsTheEarliestLiveTimer) {
  EXPECT_FALSE(queue_.next_deadline().has_value());
  const auto t0 = clock_.now();
  const TimerId early = add(1s, 1);
  add(5s, 5);
  EXPECT_EQ(queue_.next_deadline(), t0 + 1s);
  queue_.cancel(early);
  EXPECT_EQ(queue_.next_deadline(), t0 + 5s);
}

TEST_F(TimerQueueTest, CallbackMayScheduleATimerThatIsAlreadyDue) {
  queue_.schedule(1s, [this] {
    fired_.push_back(1);
    add(0s, 2);
    add(1s, 3);
  });
  clock_.advance(1s);
  EXPECT_EQ(queue_.run_due(), 2U);
  EXPECT_EQ(fired_, (std::vector<int>{1, 2}));
  clock_.advance(1s);
  queue_.run_due();
  EXPECT_EQ(fired_, (std::vector<int>{1, 2, 3}));
}

TEST_F(TimerQueueTest, CallbackMayCancelATimerDueInTheSameRun) {
  TimerId second;
  queue_.schedule(1s, [this, &second] {
    fired_.push_back(1);
    queue_.cancel(second);
  });
  second = add(1s, 2);
  clock_.advance(1s);
  EXPECT_EQ(queue_.run_due(), 1U);
  EXPECT_EQ(fired_, std::vector<int>{1});
}

TEST_F(TimerQueueTest, CallbackMayCancelItsOwnIdWithoutEffect) {
  TimerId self;
  self = queue_.schedule(1s, [this, &self] {
    queue_.cancel(self);
    fired_.push_back(1);
  });
  add(2s, 2);
  clock_.advance(2s);
  queue_.run_due();
  EXPECT_EQ(fired_, (std::vector<int>{1, 2}));
}

TEST_F(TimerQueueTest, HeapIsCompactedWhenMostTimersAreCancelled) {
  std::vector<TimerId> ids;
  ids.reserve(10000);
  for (int i = 0; i < 10000; ++i) ids.push_back(add(32s, i));
  for (int i = 0; i < 9990; ++i) queue_.cancel(ids[static_cast<std::size_t>(i)]);
  EXPECT_EQ(queue_.size(), 10U);
  EXPECT_LE(queue_.heap_entries(), 2 * queue_.size() + 64);
  clock_.advance(32s);
  EXPECT_EQ(queue_.run_due(), 10U);
  EXPECT_EQ(fired_.front(), 9990);
}

TEST_F(TimerQueueTest, CancelledCallbackIsDestroyedAtOnce) {
  auto token = std::make_shared<int>(0);
  const TimerId id = queue_.schedule(1s, [token] {});
  EXPECT_EQ(token.use_count(), 2);
  queue_.cancel(id);
  EXPECT_EQ(token.use_count(), 1);
}

}  // namespace
}  // namespace voxgate::runtime
