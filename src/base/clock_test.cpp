#include "base/clock.hpp"

#include <gtest/gtest.h>

namespace voxgate {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, StandsStillUntilAdvanced) {
  ManualClock clock;
  const auto t0 = clock.now();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(500ms);
  EXPECT_EQ(clock.now() - t0, 500ms);
}

TEST(ManualClock, WallTimeAdvancesWithSteadyTime) {
  ManualClock clock{Clock::WallTime{std::chrono::seconds{1000}}};
  clock.advance(2s);
  EXPECT_EQ(clock.wall_now(), Clock::WallTime{std::chrono::seconds{1002}});
}

TEST(SystemClock, IsMonotonic) {
  SystemClock clock;
  const auto a = clock.now();
  const auto b = clock.now();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace voxgate
