#include "media/engine/media_clock.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "base/clock.hpp"
#include "runtime/timer_queue.hpp"

namespace voxgate::media {
namespace {

using std::chrono::milliseconds;

struct RecordingHandler final : MediaTickHandler {
  std::vector<std::uint64_t> ticks;
  std::function<void(std::uint64_t)> also;
  void on_media_tick(std::uint64_t tick) override {
    ticks.push_back(tick);
    if (also) also(tick);
  }
};

class MediaClockTest : public ::testing::Test {
 protected:
  // Advances the manual clock in 1-ms steps, running due timers, as a loop would.
  void run_for(milliseconds total) {
    for (milliseconds t{0}; t < total; t += milliseconds(1)) {
      clock_.advance(milliseconds(1));
      timers_.run_due();
    }
  }

  ManualClock clock_;
  runtime::TimerQueue timers_{clock_};
  MediaClock media_clock_{timers_, clock_};
};

TEST_F(MediaClockTest, TicksEveryTwentyMillisecondsForEveryHandlerOnOneTimer) {
  RecordingHandler a;
  RecordingHandler b;
  media_clock_.add(a);
  media_clock_.add(b);
  EXPECT_EQ(timers_.size(), 1U) << "one timer for all the loop's streams";
  run_for(milliseconds(100));
  EXPECT_EQ(a.ticks, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(b.ticks, a.ticks);
  EXPECT_EQ(media_clock_.stats().max_lateness, Clock::Duration::zero());
}

TEST_F(MediaClockTest, ALateTickDoesNotDelayTheNextOnes) {
  RecordingHandler handler;
  media_clock_.add(handler);
  clock_.advance(milliseconds(27));  // the loop was busy: tick 1 runs 7 ms late
  timers_.run_due();
  ASSERT_EQ(handler.ticks.size(), 1U);
  EXPECT_EQ(media_clock_.stats().max_lateness, milliseconds(7));
  EXPECT_EQ(media_clock_.stats().late_over_5ms, 1U);
  clock_.advance(milliseconds(12));  // t = 39: tick 2 (due at 40) not yet
  timers_.run_due();
  EXPECT_EQ(handler.ticks.size(), 1U);
  clock_.advance(milliseconds(1));  // t = 40: on time again
  timers_.run_due();
  EXPECT_EQ(handler.ticks.size(), 2U);
}

TEST_F(MediaClockTest, AfterAStallMissedTicksCatchUpThenTheRestAreSkipped) {
  RecordingHandler handler;
  media_clock_.add(handler);
  clock_.advance(milliseconds(200));  // ten ticks due at once
  timers_.run_due();
  EXPECT_EQ(handler.ticks, (std::vector<std::uint64_t>{6, 7, 8, 9, 10})) << "the last max_catch_up (5) run";
  EXPECT_EQ(media_clock_.stats().skipped, 5U);
  EXPECT_EQ(media_clock_.stats().ticks, 5U);
}

TEST_F(MediaClockTest, HandlersAddedOrRemovedDuringATickTakeEffectSafely) {
  RecordingHandler first;
  RecordingHandler second;
  RecordingHandler late;
  first.also = [&](std::uint64_t tick) {
    if (tick == 1) {
      media_clock_.remove(second);  // not called in this tick any more
      media_clock_.add(late);       // called from the next tick on
    }
  };
  media_clock_.add(first);
  media_clock_.add(second);
  run_for(milliseconds(40));
  EXPECT_EQ(first.ticks, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_TRUE(second.ticks.empty());
  EXPECT_EQ(late.ticks, (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(media_clock_.handlers(), 2U);
}

TEST_F(MediaClockTest, TheClockStopsWithItsLastHandler) {
  RecordingHandler handler;
  media_clock_.add(handler);
  run_for(milliseconds(20));
  media_clock_.remove(handler);
  EXPECT_EQ(timers_.size(), 0U);
  run_for(milliseconds(100));
  EXPECT_EQ(handler.ticks.size(), 1U);
}

}  // namespace
}  // namespace voxgate::media
