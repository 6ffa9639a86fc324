// RFC 3261 §14.1's wait before a re-INVITE answered 491 is retried.

#include "sip/dialog/glare.hpp"

#include <gtest/gtest.h>

#include <set>

namespace voxgate::sip {
namespace {

using std::chrono::milliseconds;

TEST(GlareRetryDelay, TheOwnerOfTheCallIdWaitsBetween2100And4000msIn10msSteps) {
  EXPECT_EQ(glare_retry_delay(true, 0), milliseconds(2100));
  EXPECT_EQ(glare_retry_delay(true, 190), milliseconds(4000));
  EXPECT_EQ(glare_retry_delay(true, 191), milliseconds(2100)) << "wraps: 191 values";
  std::set<std::int64_t> seen;
  for (std::uint64_t bits = 0; bits < 2000; ++bits) {
    const milliseconds delay = glare_retry_delay(true, bits * 7919);
    EXPECT_GE(delay, milliseconds(2100));
    EXPECT_LE(delay, milliseconds(4000));
    EXPECT_EQ(delay.count() % 10, 0);
    seen.insert(delay.count());
  }
  EXPECT_EQ(seen.size(), 191U) << "every 10-ms step is reachable";
}

TEST(GlareRetryDelay, TheOtherSideWaitsBetween0And2000msIn10msSteps) {
  EXPECT_EQ(glare_retry_delay(false, 0), milliseconds(0));
  EXPECT_EQ(glare_retry_delay(false, 200), milliseconds(2000));
  EXPECT_EQ(glare_retry_delay(false, 201), milliseconds(0));
  EXPECT_EQ(glare_retry_delay(false, ~std::uint64_t{0}), milliseconds((~std::uint64_t{0} % 201) * 10));
  for (std::uint64_t bits = 0; bits < 2000; ++bits) {
    const milliseconds delay = glare_retry_delay(false, bits * 104729);
    EXPECT_LE(delay, milliseconds(2000));
    EXPECT_EQ(delay.count() % 10, 0);
  }
}

}  // namespace
}  // namespace voxgate::sip
