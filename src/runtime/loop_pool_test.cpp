#include "runtime/loop_pool.hpp"

#include <future>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace voxgate::runtime {
namespace {

TEST(LoopPool, PinsAKeyToTheSameLoopEveryTime) {
  LoopPool pool(4);
  const auto first = pool.index_for("a84b4c76e66710@pc33.atlanta.com");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(pool.index_for("a84b4c76e66710@pc33.atlanta.com"), first);
}

TEST(LoopPool, SpreadsKeysOverAllLoops) {
  LoopPool pool(4);
  std::set<std::size_t> used;
  for (int i = 0; i < 200; ++i) used.insert(pool.index_for("call-" + std::to_string(i) + "@host"));
  EXPECT_EQ(used.size(), 4U);
}

TEST(LoopPool, DefaultsToOneLoopPerHardwareThread) {
  LoopPool pool(0);
  EXPECT_GE(pool.size(), 1U);
}

TEST(LoopPool, HandsWorkBetweenLoops) {
  LoopPool pool(2);
  pool.start();
  std::promise<bool> done;
  pool.loop(0).post([&] {
    EXPECT_TRUE(pool.loop(0).in_loop_thread());
    pool.loop(1).post([&] { done.set_value(pool.loop(1).in_loop_thread() && !pool.loop(0).in_loop_thread()); });
  });
  EXPECT_TRUE(done.get_future().get());
  pool.stop();
  pool.join();
}

}  // namespace
}  // namespace voxgate::runtime
