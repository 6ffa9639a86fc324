#include "runtime/timer_loop.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "runtime/event_loop.hpp"

namespace voxgate::runtime {
namespace {

using namespace std::chrono_literals;

TEST(LoopTimers, FiresTimersOnTheLoopInDeadlineOrder) {
  SystemClock clock;
  EventLoop loop("timers");
  LoopTimers timers(loop, clock);
  std::vector<int> fired;
  const auto start = clock.now();
  Clock::TimePoint last_fired{};
  loop.post([&] {
    timers.schedule(30ms, [&] {
      fired.push_back(3);
      last_fired = clock.now();
      loop.stop();
    });
    timers.schedule(20ms, [&] { fired.push_back(2); });
    const TimerId cancelled = timers.schedule(15ms, [&] { fired.push_back(99); });
    timers.schedule(10ms, [&] {
      fired.push_back(1);
      EXPECT_TRUE(loop.in_loop_thread());
    });
    timers.cancel(cancelled);
  });
  loop.run();
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(last_fired - start, 30ms);
  EXPECT_EQ(timers.size(), 0U);
}

TEST(LoopTimers, EarlierTimerScheduledLaterStillFiresFirst) {
  SystemClock clock;
  EventLoop loop("timers");
  LoopTimers timers(loop, clock);
  std::vector<int> fired;
  loop.post([&] {
    timers.schedule(2s, [&] { fired.push_back(2); });
    timers.schedule(5ms, [&] {
      fired.push_back(1);
      loop.stop();
    });
  });
  const auto start = std::chrono::steady_clock::now();
  loop.run();
  EXPECT_EQ(fired, std::vector<int>{1});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(LoopTimers, DestroyingWhileAWaitIsPendingIsSafe) {
  SystemClock clock;
  EventLoop loop("timers");
  bool ran = false;
  {
    LoopTimers timers(loop, clock);
    timers.schedule(1ms, [&] { ran = true; });
  }
  loop.post([&] { loop.stop(); });
  loop.run();
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace voxgate::runtime
