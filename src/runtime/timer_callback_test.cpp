#include "runtime/timer_callback.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <utility>

namespace voxgate::runtime {
namespace {

TEST(TimerCallback, RunsTheCallableItWasGiven) {
  int runs = 0;
  TimerCallback callback([&runs] { ++runs; });
  callback();
  callback();
  EXPECT_EQ(runs, 2);
}

TEST(TimerCallback, KeepsSmallCapturesInline) {
  void* a = nullptr;
  std::uint64_t b = 0;
  std::uint64_t c = 0;
  TimerCallback callback([a, b, c] { (void)a, (void)b, (void)c; });
  EXPECT_TRUE(callback.is_inline());
}

TEST(TimerCallback, StoresLargeCapturesOnTheHeapAndStillRuns) {
  std::array<std::uint64_t, 16> big{};
  big[15] = 7;
  std::uint64_t seen = 0;
  TimerCallback callback([big, &seen] { seen = big[15]; });
  EXPECT_FALSE(callback.is_inline());
  TimerCallback moved = std::move(callback);
  moved();
  EXPECT_EQ(seen, 7U);
}

TEST(TimerCallback, MovesOwnershipOfMoveOnlyCaptures) {
  auto value = std::make_unique<int>(3);
  int seen = 0;
  TimerCallback first([v = std::move(value), &seen] { seen = *v; });
  TimerCallback second;
  second = std::move(first);
  EXPECT_FALSE(static_cast<bool>(first));  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  second();
  EXPECT_EQ(seen, 3);
}

TEST(TimerCallback, DestroysItsCallableExactlyOnce) {
  auto counter = std::make_shared<int>(0);
  {
    TimerCallback a([counter] {});
    EXPECT_EQ(counter.use_count(), 2);
    TimerCallback b(std::move(a));
    EXPECT_EQ(counter.use_count(), 2);
    b.reset();
    EXPECT_EQ(counter.use_count(), 1);
  }
  EXPECT_EQ(counter.use_count(), 1);
}

TEST(TimerCallback, EmptyCallbackDoesNothingWhenRun) {
  TimerCallback callback;
  EXPECT_FALSE(static_cast<bool>(callback));
  callback();
}

}  // namespace
}  // namespace voxgate::runtime
