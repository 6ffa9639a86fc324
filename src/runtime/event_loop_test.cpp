#include "runtime/event_loop.hpp"

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace voxgate::runtime {
namespace {

TEST(EventLoop, RunsPostedWorkOnItsOwnThread) {
  EventLoop loop("test");
  loop.start();
  std::promise<std::thread::id> ran_on;
  loop.post([&] { ran_on.set_value(std::this_thread::get_id()); });
  const auto id = ran_on.get_future().get();
  EXPECT_NE(id, std::this_thread::get_id());
  loop.stop();
  loop.join();
}

TEST(EventLoop, KnowsWhetherCallerIsOnItsThread) {
  EventLoop loop("test");
  EXPECT_FALSE(loop.in_loop_thread());
  std::promise<bool> inside;
  loop.post([&] {
    inside.set_value(loop.in_loop_thread());
    loop.stop();
  });
  loop.run();
  EXPECT_TRUE(inside.get_future().get());
}

TEST(EventLoop, RunsPostsFromOneThreadInOrder) {
  EventLoop loop("test");
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) loop.post([&order, i] { order.push_back(i); });
  loop.post([&] { loop.stop(); });
  loop.run();
  ASSERT_EQ(order.size(), 100U);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}

TEST(EventLoop, AcceptsMoveOnlyWork) {
  EventLoop loop("test");
  auto value = std::make_unique<int>(5);
  int seen = 0;
  loop.post([v = std::move(value), &seen, &loop] {
    seen = *v;
    loop.stop();
  });
  loop.run();
  EXPECT_EQ(seen, 5);
}

}  // namespace
}  // namespace voxgate::runtime
