#include "bot/call/bot_inbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

namespace voxgate::bot {
namespace {

// What take() gave, in order: "k" for a system task, a frame's first sample.
std::string drain_all(BotInbox& inbox) {
  std::string order;
  while (auto input = inbox.take()) {
    if (std::holds_alternative<BotInbox::Task>(*input)) {
      order += 'k';
    } else {
      order += std::to_string(std::get<BotInbox::Frame>(*input).front());
    }
  }
  return order;
}

TEST(BotInbox, AKeyOvertakesTheAudioStillWaitingAndTheFramesKeepTheirOrder) {
  BotInbox inbox;
  EXPECT_TRUE(inbox.push_frame({1}));
  EXPECT_FALSE(inbox.push_frame({2})) << "a drain is posted already";
  EXPECT_FALSE(inbox.push_frame({3}));
  EXPECT_FALSE(inbox.push_system([](BotLink&) {}));
  EXPECT_EQ(drain_all(inbox), "k123");
  EXPECT_TRUE(inbox.push_frame({4})) << "idle again once drained: the next push posts";
}

TEST(BotInbox, ABotThatFellBehindDropsTheOldestFramesAndCountsThem) {
  BotInbox inbox(3);
  for (std::int16_t i = 1; i <= 5; ++i) (void)inbox.push_frame({i});
  EXPECT_EQ(inbox.frames_dropped(), 2U);
  EXPECT_EQ(drain_all(inbox), "345");
}

TEST(BotInbox, PushesFromAnotherThreadAreAllTakenAndOneDrainIsAskedPerIdleSpell) {
  BotInbox inbox(100'000);
  std::atomic<int> drains{0};
  std::thread pusher([&] {
    for (std::int16_t i = 0; i < 10'000; ++i) {
      if (inbox.push_frame({i})) drains.fetch_add(1);
    }
  });
  int taken = 0;
  int last = -1;
  bool ordered = true;
  while (taken < 10'000) {
    if (auto input = inbox.take()) {
      const int value = std::get<BotInbox::Frame>(*input).front();
      ordered = ordered && value == last + 1;
      last = value;
      ++taken;
    }
  }
  pusher.join();
  EXPECT_TRUE(ordered);
  EXPECT_GE(drains.load(), 1);
  EXPECT_FALSE(inbox.take().has_value());
}

}  // namespace
}  // namespace voxgate::bot
