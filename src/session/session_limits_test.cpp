#include "session/session_limits.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace voxgate::session {
namespace {

TEST(SessionLimits, RefusesOverTheOverallLimitAndAcceptsAgainOnceASlotIsGivenBack) {
  SessionLimits limits(SessionLimitSettings{2, 0, 0});
  auto a = limits.admit("sip:a@x", "192.0.2.1");
  auto b = limits.admit("sip:b@x", "192.0.2.2");
  ASSERT_TRUE(a && b);
  auto c = limits.admit("sip:c@x", "192.0.2.3");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error(), LimitRefusal::Overall);
  EXPECT_EQ(status_for(c.error()), 503);
  a->release();
  EXPECT_TRUE(limits.admit("sip:c@x", "192.0.2.3"));
  EXPECT_EQ(limits.counts().refused_overall, 1U);
}

TEST(SessionLimits, APartyOverItsLimitGets486AndOthersStillGetIn) {
  SessionLimits limits(SessionLimitSettings{0, 1, 0});
  auto first = limits.admit("sip:a@x", "192.0.2.1");
  ASSERT_TRUE(first);
  auto second = limits.admit("sip:a@x", "192.0.2.9");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), LimitRefusal::Party);
  EXPECT_EQ(status_for(second.error()), 486);
  EXPECT_TRUE(limits.admit("sip:b@x", "192.0.2.1"));
}

TEST(SessionLimits, ASourceOverItsLimitGets503) {
  SessionLimits limits(SessionLimitSettings{0, 0, 2});
  auto a = limits.admit("sip:a@x", "192.0.2.1");
  auto b = limits.admit("sip:b@x", "192.0.2.1");
  ASSERT_TRUE(a && b);
  auto c = limits.admit("sip:c@x", "192.0.2.1");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error(), LimitRefusal::Source);
  EXPECT_TRUE(limits.admit("sip:c@x", "192.0.2.2"));
}

TEST(SessionLimits, SlotsMovedAndDestroyedGiveBackExactlyOnce) {
  SessionLimits limits(SessionLimitSettings{1, 1, 1});
  {
    auto slot = limits.admit("sip:a@x", "192.0.2.1");
    ASSERT_TRUE(slot);
    SessionSlot moved = std::move(*slot);
    EXPECT_TRUE(moved.held());
    EXPECT_FALSE(slot->held());
    EXPECT_EQ(limits.counts().in_use, 1U);
  }
  EXPECT_EQ(limits.counts().in_use, 0U);
  EXPECT_TRUE(limits.admit("sip:a@x", "192.0.2.1"));
}

TEST(SessionLimits, ConcurrentAdmissionsNeverExceedTheLimit) {
  SessionLimits limits(SessionLimitSettings{50, 0, 0});
  std::vector<std::thread> threads;
  std::atomic<int> admitted{0};
  std::vector<std::vector<SessionSlot>> held(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        if (auto slot = limits.admit("", "")) {
          ++admitted;
          held[static_cast<std::size_t>(t)].push_back(std::move(*slot));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 50);
  EXPECT_EQ(limits.counts().in_use, 50U);
  EXPECT_EQ(limits.counts().refused_overall, 3950U);
}

TEST(SessionLimits, DrainingRefusesNewSessionsWith503AndKeepsHeldSlots) {
  SessionLimits limits(SessionLimitSettings{10, 0, 0});
  auto held = limits.admit("sip:a@x", "10.0.0.1");
  ASSERT_TRUE(held);
  limits.start_draining();
  const auto refused = limits.admit("sip:b@x", "10.0.0.2");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), LimitRefusal::Draining);
  EXPECT_EQ(status_for(refused.error()), 503);
  EXPECT_EQ(limits.counts().refused_draining, 1U);
  EXPECT_EQ(limits.counts().in_use, 1U);
  held->release();
  EXPECT_EQ(limits.counts().in_use, 0U);
}

}  // namespace
}  // namespace voxgate::session
