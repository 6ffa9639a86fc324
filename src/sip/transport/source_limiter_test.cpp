#include "sip/transport/source_limiter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace voxgate::sip {
namespace {

using namespace std::chrono_literals;

boost::asio::ip::address ip(std::string_view text) {
  return boost::asio::ip::make_address(text);
}

RateLimitConfig config(double rate, double burst, std::size_t max_sources = 100) {
  RateLimitConfig c;
  c.requests_per_second = rate;
  c.burst = burst;
  c.max_sources = max_sources;
  return c;
}

TEST(SourceLimiter, AllowsABurstThenRefuses) {
  ManualClock clock;
  SourceLimiter limiter(config(10, 3), clock);
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_FALSE(limiter.allow(ip("192.0.2.1")));
}

TEST(SourceLimiter, RefillsAtTheConfiguredRate) {
  ManualClock clock;
  SourceLimiter limiter(config(10, 1), clock);
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_FALSE(limiter.allow(ip("192.0.2.1")));
  clock.advance(50ms);  // half a token
  EXPECT_FALSE(limiter.allow(ip("192.0.2.1")));
  clock.advance(50ms);
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
}

TEST(SourceLimiter, NeverHoldsMoreThanTheBurst) {
  ManualClock clock;
  SourceLimiter limiter(config(100, 2), clock);
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  clock.advance(1h);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.allow(ip("192.0.2.1")) ? 1 : 0;
  EXPECT_EQ(allowed, 2);
}

TEST(SourceLimiter, KeepsSourcesApart) {
  ManualClock clock;
  SourceLimiter limiter(config(1, 1), clock);
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_FALSE(limiter.allow(ip("192.0.2.1")));
  EXPECT_TRUE(limiter.allow(ip("192.0.2.2")));
  EXPECT_TRUE(limiter.allow(ip("2001:db8::1")));
}

TEST(SourceLimiter, ForgetsTheLeastRecentlySeenSourceWhenFull) {
  ManualClock clock;
  SourceLimiter limiter(config(1, 1, 2), clock);
  EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_TRUE(limiter.allow(ip("192.0.2.2")));
  EXPECT_FALSE(limiter.allow(ip("192.0.2.1")));  // .1 is now the most recent
  EXPECT_TRUE(limiter.allow(ip("192.0.2.3")));   // evicts .2
  EXPECT_EQ(limiter.tracked_sources(), 2U);
  EXPECT_FALSE(limiter.allow(ip("192.0.2.1")));  // .1 was kept, still empty
  EXPECT_TRUE(limiter.allow(ip("192.0.2.2")));   // .2 was forgotten: full bucket again
}

TEST(SourceLimiter, BoundsItsTable) {
  ManualClock clock;
  SourceLimiter limiter(config(1, 1, 16), clock);
  for (int i = 0; i < 1000; ++i) {
    limiter.allow(
        boost::asio::ip::make_address_v4(static_cast<boost::asio::ip::address_v4::uint_type>(0x0A000000 + i)));
  }
  EXPECT_EQ(limiter.tracked_sources(), 16U);
}

TEST(SourceLimiter, AllowsEverythingWhenDisabled) {
  ManualClock clock;
  RateLimitConfig c = config(1, 1);
  c.enabled = false;
  SourceLimiter limiter(c, clock);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.allow(ip("192.0.2.1")));
  EXPECT_EQ(limiter.tracked_sources(), 0U);
}

}  // namespace
}  // namespace voxgate::sip
