#include "sip/transport/connection_limits.hpp"

#include <gtest/gtest.h>

namespace voxgate::sip {
namespace {

const boost::asio::ip::address source_a = boost::asio::ip::make_address("192.0.2.1");
const boost::asio::ip::address source_b = boost::asio::ip::make_address("192.0.2.2");

TEST(ConnectionLimits, RefusesInboundConnectionsOverThePerSourceLimit) {
  ConnectionLimits limits(10, 2);
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_a));
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_a));
  const auto third = limits.acquire(ConnectionDirection::Inbound, source_a);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, Errc::LimitExceeded);
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_b));
  EXPECT_EQ(limits.open_from(source_a), 2U);
}

TEST(ConnectionLimits, RefusesAnyConnectionOverTheTotal) {
  ConnectionLimits limits(2, 10);
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_a));
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Outbound, source_b));
  EXPECT_FALSE(limits.acquire(ConnectionDirection::Outbound, source_b));
  EXPECT_FALSE(limits.acquire(ConnectionDirection::Inbound, source_b));
  EXPECT_EQ(limits.open(), 2U);
}

TEST(ConnectionLimits, DoesNotApplyThePerSourceLimitToOutboundConnections) {
  ConnectionLimits limits(10, 1);
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Outbound, source_a));
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Outbound, source_a));
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_a));
}

TEST(ConnectionLimits, GivesSlotsBackOnRelease) {
  ConnectionLimits limits(1, 1);
  ASSERT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_a));
  EXPECT_FALSE(limits.acquire(ConnectionDirection::Inbound, source_a));
  limits.release(ConnectionDirection::Inbound, source_a);
  EXPECT_EQ(limits.open(), 0U);
  EXPECT_EQ(limits.open_from(source_a), 0U);
  EXPECT_TRUE(limits.acquire(ConnectionDirection::Inbound, source_a));
}

}  // namespace
}  // namespace voxgate::sip
