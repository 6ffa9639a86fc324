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

TEST_F(MediaClockTest, LatenessPercentilesComeFromOneMillisecondBuckets) {
  RecordingHandler handler;
  media_clock_.add(handler);
  // 98 ticks on time, then one 7.5 ms late and one 40 ms late (the loop was
  // busy), the clock stepped as a loop would see it.
  run_for(milliseconds(98 * 20));
  clock_.advance(std::chrono::microseconds(27'500));  // tick 99 due at 1980: 7.5 ms late
  timers_.run_due();
  clock_.advance(std::chrono::microseconds(12'500 + 40'000));  // t = 2040: tick 100 (due 2000) 40 ms late
  timers_.run_due();
  const MediaClockStats& stats = media_clock_.stats();
  ASSERT_EQ(stats.ticks, 102U) << "ticks 101 and 102 ran on time after the stall (catch-up)";
  EXPECT_EQ(stats.lateness_ms[0], 99U);
  EXPECT_EQ(stats.lateness_ms[7], 1U);
  EXPECT_EQ(stats.lateness_ms[40], 1U);
  EXPECT_EQ(stats.lateness_ms[20], 1U) << "tick 101, due at 2020";
  EXPECT_EQ(stats.lateness_percentile(50), milliseconds(1)) << "the upper edge of the [0, 1) ms bucket";
  EXPECT_EQ(stats.lateness_percentile(99), milliseconds(21)) << "rank 101 of 102: the 20-ms bucket's upper edge";
  EXPECT_EQ(stats.lateness_percentile(100), milliseconds(40)) << "capped by the maximum (40 ms exactly)";
  EXPECT_EQ(stats.max_lateness, milliseconds(40));
}

TEST(MediaClockStatsTest, PercentileIsTheUpperEdgeOfItsBucketCappedByTheMaximum) {
  MediaClockStats stats;
  EXPECT_EQ(stats.lateness_percentile(99), Clock::Duration::zero()) << "no ticks";
  for (int i = 0; i < 90; ++i) stats.record(std::chrono::microseconds(300));
  for (int i = 0; i < 9; ++i) stats.record(std::chrono::microseconds(2'400));
  stats.record(milliseconds(250));  // beyond the histogram: the overflow bucket
  EXPECT_EQ(stats.ticks, 100U);
  EXPECT_EQ(stats.late_over_5ms, 1U);
  EXPECT_EQ(stats.lateness_ms[0], 90U);
  EXPECT_EQ(stats.lateness_ms[2], 9U);
  EXPECT_EQ(stats.lateness_ms[MediaClockStats::kLatenessBuckets - 1], 1U);
  EXPECT_EQ(stats.lateness_percentile(50), milliseconds(1));
  EXPECT_EQ(stats.lateness_percentile(90), milliseconds(1)) << "rank 90 is the last of the first bucket";
  EXPECT_EQ(stats.lateness_percentile(90.5), milliseconds(3));
  EXPECT_EQ(stats.lateness_percentile(99), milliseconds(3));
  EXPECT_EQ(stats.lateness_percentile(99.5), milliseconds(250)) << "the overflow bucket reports the maximum";
  EXPECT_EQ(stats.lateness_percentile(0), milliseconds(1));

  MediaClockStats small;
  small.record(std::chrono::microseconds(40));
  EXPECT_EQ(small.lateness_percentile(50), std::chrono::microseconds(40)) << "never above the maximum";
  MediaClockStats early;
  early.record(std::chrono::microseconds(-5));  // a timer that fired early counts as on time
  EXPECT_EQ(early.lateness_ms[0], 1U);
}

TEST(MediaClockStatsTest, LoopsAddUpAndAWindowSubtractsItsStart) {
  MediaClockStats loop_a;
  MediaClockStats loop_b;
  for (int i = 0; i < 10; ++i) loop_a.record(std::chrono::microseconds(500));
  loop_b.record(milliseconds(12));
  loop_b.skipped = 3;
  MediaClockStats both = loop_a;
  both += loop_b;
  EXPECT_EQ(both.ticks, 11U);
  EXPECT_EQ(both.skipped, 3U);
  EXPECT_EQ(both.late_over_5ms, 1U);
  EXPECT_EQ(both.max_lateness, milliseconds(12));
  EXPECT_EQ(both.lateness_ms[0], 10U);
  EXPECT_EQ(both.lateness_ms[12], 1U);

  // A window over loop_a: the 12-ms tick came before it.
  MediaClockStats clock = loop_b;
  const MediaClockStats start = clock;
  for (int i = 0; i < 4; ++i) clock.record(std::chrono::microseconds(2'500));
  const MediaClockStats window = clock.since(start);
  EXPECT_EQ(window.ticks, 4U);
  EXPECT_EQ(window.skipped, 0U);
  EXPECT_EQ(window.late_over_5ms, 0U);
  EXPECT_EQ(window.lateness_ms[2], 4U);
  EXPECT_EQ(window.lateness_ms[12], 0U);
  EXPECT_EQ(window.max_lateness, milliseconds(3)) << "the highest bucket of the window, not the 12 ms before it";
  EXPECT_EQ(window.lateness_percentile(99), milliseconds(3));
  EXPECT_EQ(clock.since(clock).ticks, 0U);
  EXPECT_EQ(clock.since(clock).max_lateness, Clock::Duration::zero());
}

}  // namespace
}  // namespace voxgate::media
